import type { ScoreResult } from './scorer.ts';

/**
 * A score on the Workbench's 1–5 scale, for the `score` column and the distribution in reports:
 * a 0–1 score maps linearly (0 → 1, 0.5 → 3, 1 → 5) and rounds; a judge's score stays as it is.
 *
 * @example
 * toFivePoint({ scale: 'unit', score: 0.8 }) // 4
 */
export function toFivePoint(result: Pick<ScoreResult, 'scale' | 'score'>): number {
  const value = result.scale === 'unit' ? 1 + 4 * result.score : result.score;
  return Math.min(5, Math.max(1, Math.round(value)));
}
