import type { ScoreResult } from './scorer.ts';

/** A 0–1 result from a rule-based scorer (no judge call). */
export function unitResult(
  scorer: string,
  score: number,
  passed: boolean,
  reason: string | null,
): ScoreResult {
  return { scorer, scale: 'unit', score, passed, reason, judge: null };
}
