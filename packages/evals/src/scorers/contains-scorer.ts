import { normalizeText } from './normalize-text.ts';
import type { Scorer } from './scorer.ts';
import { unitResult } from './unit-result.ts';

export type ContainsScorerOptions = {
  /** Texts that must all appear; default: the row's `ideal_output`. */
  values?: string[];
  /** Default `false`. */
  caseSensitive?: boolean;
};

/**
 * The share of required texts the answer contains (whitespace-insensitive); passes when it
 * contains all of them.
 *
 * @example
 * containsScorer({ values: ['30 days', 'Delaware'] }).score({ output, idealOutput: '', variables: {} })
 */
export function containsScorer(options: ContainsScorerOptions = {}): Scorer {
  const caseSensitive = options.caseSensitive ?? false;
  return {
    name: 'contains',
    scale: 'unit',
    score({ output, idealOutput }) {
      const values = options.values ?? [idealOutput];
      const haystack = normalizeText(output, caseSensitive);
      const missing = values.filter((value) => !haystack.includes(normalizeText(value, caseSensitive)));
      const score = values.length === 0 ? 1 : (values.length - missing.length) / values.length;
      const reason =
        missing.length === 0 ? null : `missing: ${missing.map((value) => JSON.stringify(value)).join(', ')}`;
      return unitResult('contains', score, missing.length === 0, reason);
    },
  };
}
