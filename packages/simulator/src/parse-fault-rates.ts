import { type FaultStep, parseFaultStep } from './fault-step.ts';

/** A step served to a share of requests. */
export interface FaultRate {
  step: FaultStep;
  probability: number;
}

/**
 * Parses `--faults`: comma-separated `step:probability` pairs, e.g. `429:0.05,529:0.02,cut:0.02`;
 * `cut:N:p` gives the chunk count too. The probabilities must sum to at most 1.
 *
 * @example
 * parseFaultRates('429:0.05,cut:4:0.01'); // [{ step: { kind: '429' }, probability: 0.05 }, …]
 */
export function parseFaultRates(spec: string | undefined): FaultRate[] {
  if (spec === undefined || spec.trim() === '') return [];
  const rates = spec.split(',').map((entry) => {
    const separator = entry.lastIndexOf(':');
    const probability = Number(entry.slice(separator + 1));
    if (separator <= 0 || !Number.isFinite(probability) || probability < 0 || probability > 1) {
      throw new Error(`invalid fault rate '${entry.trim()}' (expected step:probability, e.g. 429:0.05)`);
    }
    return { step: parseFaultStep(entry.slice(0, separator)), probability };
  });
  const total = rates.reduce((sum, rate) => sum + rate.probability, 0);
  if (total > 1 + 1e-9) throw new Error(`fault probabilities sum to ${total}, more than 1`);
  return rates;
}
