import { EvalsError } from '../evals-error.ts';
import type { Scorer } from './scorer.ts';
import { unitResult } from './unit-result.ts';

export type RegexScorerOptions = {
  /** The pattern to match; default: the row's `ideal_output` is the pattern. */
  pattern?: string;
  /** RegExp flags, e.g. `i` or `s`. */
  flags?: string;
};

/**
 * 1 when the answer matches the pattern, else 0.
 *
 * @example
 * regexScorer({ pattern: '^(yes|no)\\b', flags: 'i' }).score({ output: 'Yes, because…', idealOutput: '', variables: {} })
 */
export function regexScorer(options: RegexScorerOptions = {}): Scorer {
  const fixed = options.pattern === undefined ? undefined : compile(options.pattern, options.flags);
  return {
    name: 'regex',
    scale: 'unit',
    score({ output, idealOutput }) {
      const pattern = fixed ?? compile(idealOutput, options.flags);
      const matched = pattern.test(output);
      pattern.lastIndex = 0;
      return unitResult(
        'regex',
        matched ? 1 : 0,
        matched,
        matched ? null : `no match for /${pattern.source}/`,
      );
    },
  };
}

function compile(pattern: string, flags: string | undefined): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    throw new EvalsError(
      `regex scorer: invalid pattern ${JSON.stringify(pattern)}: ${(error as Error).message}`,
    );
  }
}
