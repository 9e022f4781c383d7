import { rougeL } from './rouge-l.ts';
import type { Scorer } from './scorer.ts';
import { unitResult } from './unit-result.ts';

export type SimilarityScorerOptions = {
  /** ROUGE-L F1 at or above which the answer passes (default 0.5). */
  threshold?: number;
};

/**
 * Token overlap with `ideal_output` as ROUGE-L F1 (0–1), no embedding service needed. Good for
 * summaries whose wording may vary; blind to meaning, so pair it with the judge for open answers.
 *
 * @example
 * similarityScorer({ threshold: 0.4 }).score({ output: summary, idealOutput: row.idealOutput, variables: {} })
 */
export function similarityScorer(options: SimilarityScorerOptions = {}): Scorer {
  const threshold = options.threshold ?? 0.5;
  return {
    name: 'similarity',
    scale: 'unit',
    score({ output, idealOutput }) {
      const score = rougeL(output, idealOutput);
      return unitResult('similarity', score, score >= threshold, `ROUGE-L F1 ${score.toFixed(3)}`);
    },
  };
}
