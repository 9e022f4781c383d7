import { normalizeText } from './normalize-text.ts';
import type { Scorer } from './scorer.ts';
import { unitResult } from './unit-result.ts';

export type ExactScorerOptions = {
  /** Default `true`. */
  caseSensitive?: boolean;
  /** Compare after trimming and collapsing whitespace (default `true`). */
  normalizeWhitespace?: boolean;
};

/**
 * 1 when the answer equals `ideal_output`, else 0. Surrounding and repeated whitespace does not
 * count unless `normalizeWhitespace: false`.
 *
 * @example
 * exactScorer({ caseSensitive: false }).score({ output: ' yes ', idealOutput: 'Yes', variables: {} }).passed // true
 */
export function exactScorer(options: ExactScorerOptions = {}): Scorer {
  const caseSensitive = options.caseSensitive ?? true;
  const normalize = options.normalizeWhitespace ?? true;
  const prepare = (text: string) =>
    normalize ? normalizeText(text, caseSensitive) : caseSensitive ? text : text.toLowerCase();
  return {
    name: 'exact',
    scale: 'unit',
    score({ output, idealOutput }) {
      const equal = prepare(output) === prepare(idealOutput);
      return unitResult('exact', equal ? 1 : 0, equal, equal ? null : 'the answer differs from ideal_output');
    },
  };
}
