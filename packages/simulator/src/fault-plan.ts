import { type FaultStep, OK_STEP, parseFaultStep } from './fault-step.ts';
import type { FaultRate } from './parse-fault-rates.ts';
import { createRandom } from './random.ts';

const MAX_SEQUENCES = 100_000;

/** Decides the fault step of each generation request. */
export interface FaultPlan {
  /** The step for a request carrying this `x-sim-faults` value (or none). Throws on a bad header. */
  next(header: string | undefined): FaultStep;
  reset(): void;
}

/**
 * Requests carrying the same `x-sim-faults` value walk its steps one per request, whatever their
 * bodies; the last step repeats; `;id=…` only makes the value (the key) distinct. Requests
 * without the header draw from `rates` with a PRNG seeded by `seed`, in arrival order.
 *
 * @example
 * const plan = createFaultPlan([], 1);
 * plan.next('429,ok;id=t1'); // { kind: '429' }
 * plan.next('429,ok;id=t1'); // { kind: 'ok' }
 */
export function createFaultPlan(rates: readonly FaultRate[], seed: number): FaultPlan {
  const positions = new Map<string, number>();
  const parsed = new Map<string, FaultStep[]>();
  let random = createRandom(seed);
  return {
    next(header) {
      if (header === undefined || header === '')
        return rates.length === 0 ? OK_STEP : drawRate(rates, random.next());
      let steps = parsed.get(header);
      if (steps === undefined) {
        steps = parseSequence(header);
        if (parsed.size >= MAX_SEQUENCES) parsed.clear();
        parsed.set(header, steps);
      }
      const position = positions.get(header) ?? 0;
      if (positions.size >= MAX_SEQUENCES && !positions.has(header)) positions.clear();
      positions.set(header, position + 1);
      return steps[Math.min(position, steps.length - 1)] ?? OK_STEP;
    },
    reset() {
      positions.clear();
      random = createRandom(seed);
    },
  };
}

function parseSequence(header: string): FaultStep[] {
  const [steps = ''] = header.split(';');
  const names = steps.split(',').filter((name) => name.trim() !== '');
  if (names.length === 0) throw new Error('x-sim-faults has no steps');
  return names.map(parseFaultStep);
}

function drawRate(rates: readonly FaultRate[], draw: number): FaultStep {
  let cumulative = 0;
  for (const rate of rates) {
    cumulative += rate.probability;
    if (draw < cumulative) return rate.step;
  }
  return OK_STEP;
}
