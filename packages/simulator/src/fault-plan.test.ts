import { describe, expect, it } from 'vitest';
import { createFaultPlan } from './fault-plan.ts';
import { FAULT_KINDS, parseFaultStep, stepName } from './fault-step.ts';
import { parseFaultRates } from './parse-fault-rates.ts';

describe('fault steps', () => {
  it('parses every contract name and cut:N, and names them back', () => {
    for (const kind of FAULT_KINDS) expect(parseFaultStep(kind)).toEqual({ kind });
    expect(parseFaultStep(' cut:12 ')).toEqual({ kind: 'cut', after: 12 });
    expect(stepName({ kind: 'cut', after: 12 })).toBe('cut:12');
    expect(() => parseFaultStep('404')).toThrow(/unknown fault step '404'/);
    expect(() => parseFaultStep('cut:x')).toThrow();
  });
});

describe('createFaultPlan', () => {
  it('walks a header value one step per request, repeating the last', () => {
    const plan = createFaultPlan([], 1);
    const kinds = Array.from({ length: 5 }, () => plan.next('429,cut:2,ok;id=a')).map(stepName);
    expect(kinds).toEqual(['429', 'cut:2', 'ok', 'ok', 'ok']);
    expect(stepName(plan.next('429,cut:2,ok;id=b'))).toBe('429');
    expect(plan.next(undefined)).toEqual({ kind: 'ok' });
    plan.reset();
    expect(stepName(plan.next('429,cut:2,ok;id=a'))).toBe('429');
  });

  it('rejects an empty or unknown header', () => {
    const plan = createFaultPlan([], 1);
    expect(() => plan.next(';id=x')).toThrow(/no steps/);
    expect(() => plan.next('ok,nope')).toThrow(/nope/);
  });

  it('draws rate faults from a seeded PRNG', () => {
    const rates = parseFaultRates('429:0.2,cut:3:0.1');
    const draw = (seed: number) => {
      const plan = createFaultPlan(rates, seed);
      return Array.from({ length: 1000 }, () => stepName(plan.next(undefined)));
    };
    const first = draw(5);
    expect(draw(5)).toEqual(first);
    expect(draw(6)).not.toEqual(first);
    const share = (name: string) => first.filter((step) => step === name).length / first.length;
    expect(share('429')).toBeGreaterThan(0.15);
    expect(share('429')).toBeLessThan(0.25);
    expect(share('cut:3')).toBeGreaterThan(0.06);
    expect(share('cut:3')).toBeLessThan(0.14);
  });
});

describe('parseFaultRates', () => {
  it('reads step:probability pairs', () => {
    expect(parseFaultRates('429:0.05, 529:0.02,cut:0.02')).toEqual([
      { step: { kind: '429' }, probability: 0.05 },
      { step: { kind: '529' }, probability: 0.02 },
      { step: { kind: 'cut' }, probability: 0.02 },
    ]);
    expect(parseFaultRates(undefined)).toEqual([]);
    expect(() => parseFaultRates('429')).toThrow(/invalid fault rate/);
    expect(() => parseFaultRates('429:-1')).toThrow(/invalid fault rate/);
  });
});
