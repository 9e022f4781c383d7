import { EvalsError } from '../evals-error.ts';
import type { Scorer } from './scorer.ts';
import { unitResult } from './unit-result.ts';

export type NumericScorerOptions = {
  /** Largest difference that still passes (default 0: equal). */
  tolerance?: number;
  /** Read `tolerance` as a fraction of the ideal value (0.05 = within 5 %). */
  relative?: boolean;
};

const NUMBER = /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?/i;

/** The first number in a text (`$1,250.50` → 1250.5, `-3e2` → -300), or `null`. */
export function firstNumber(text: string): number | null {
  const match = NUMBER.exec(text);
  return match === null ? null : Number(match[0].replaceAll(',', ''));
}

/**
 * 1 when the first number in the answer is within `tolerance` of the first number in
 * `ideal_output`, else 0.
 *
 * @example
 * numericScorer({ tolerance: 0.01, relative: true }).score({ output: 'About $1,005', idealOutput: '1000', variables: {} }).passed // true
 */
export function numericScorer(options: NumericScorerOptions = {}): Scorer {
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0)) throw new EvalsError(`numeric scorer: tolerance must be >= 0, got ${tolerance}`);
  return {
    name: 'numeric',
    scale: 'unit',
    score({ output, idealOutput }) {
      const expected = firstNumber(idealOutput);
      if (expected === null)
        throw new EvalsError(`numeric scorer: ideal_output has no number: ${idealOutput}`);
      const actual = firstNumber(output);
      if (actual === null) return unitResult('numeric', 0, false, 'the answer has no number');
      const allowed = options.relative === true ? tolerance * Math.abs(expected) : tolerance;
      // A little slack for binary floating point (0.1 + 0.2 is not 0.3).
      const passed = Math.abs(actual - expected) <= allowed + 1e-9 * Math.max(1, Math.abs(expected));
      return unitResult(
        'numeric',
        passed ? 1 : 0,
        passed,
        passed ? null : `${actual} is not within ${allowed} of ${expected}`,
      );
    },
  };
}
