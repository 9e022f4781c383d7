import { describe, expect, it } from 'vitest';
import { makeResult } from '../../test/helpers/make-result.ts';
import type { ScoreResult } from '../scorers/scorer.ts';
import { compareRuns } from './compare-runs.ts';

const score = (value: number): ScoreResult[] => [
  { scorer: 'judge', scale: 'five-point', score: value, passed: value >= 4, reason: null, judge: null },
];

describe('compareRuns', () => {
  it('classifies each row and counts regressions', () => {
    const a = [
      makeResult({ row: 1, scores: score(5) }),
      makeResult({ row: 2, scores: score(4) }),
      makeResult({ row: 3, scores: score(2) }),
      makeResult({ row: 4, scores: score(3) }),
      makeResult({ row: 5, scores: score(4) }),
      makeResult({ row: 6, scores: score(4) }),
    ];
    const b = [
      makeResult({ runId: 'b', row: 1, scores: score(5), model: 'anthropic/claude-haiku-4-5' }),
      makeResult({
        runId: 'b',
        row: 2,
        scores: score(3),
        model: 'anthropic/claude-haiku-4-5',
        modelOutput: 'x',
      }),
      makeResult({ runId: 'b', row: 3, scores: score(4), model: 'anthropic/claude-haiku-4-5' }),
      makeResult({ runId: 'b', row: 4, scores: score(2), model: 'anthropic/claude-haiku-4-5' }),
      makeResult({
        runId: 'b',
        row: 5,
        status: 'error',
        scores: [],
        modelOutput: null,
        model: 'anthropic/claude-haiku-4-5',
      }),
      makeResult({ runId: 'b', row: 7, scores: score(4), model: 'anthropic/claude-haiku-4-5' }),
    ];
    const comparison = compareRuns(a, b);
    expect(comparison.matchedBy).toBe('row'); // one model each: a model swap is compared row by row
    expect(comparison.rows.map((row) => [row.row, row.change])).toEqual([
      [1, 'unchanged'],
      [2, 'regression'],
      [3, 'improvement'],
      [4, 'regression'],
      [5, 'regression'],
      [6, 'only-a'],
      [7, 'only-b'],
    ]);
    expect(comparison.counts).toEqual({
      regression: 3,
      improvement: 1,
      unchanged: 1,
      'only-a': 1,
      'only-b': 1,
    });
    const second = comparison.rows[1]!;
    expect(second).toMatchObject({
      scoreA: 4,
      scoreB: 3,
      delta: -1,
      passedA: true,
      passedB: false,
      outputChanged: true,
    });
    expect(comparison.meanScoreA).toBeCloseTo(22 / 6);
  });

  it('matches by row, model and version when a run holds several', () => {
    const a = [
      makeResult({ row: 1, scores: score(4) }),
      makeResult({ row: 1, model: 'anthropic/claude-haiku-4-5', scores: score(4) }),
    ];
    const b = [
      makeResult({ row: 1, scores: score(5) }),
      makeResult({ row: 1, model: 'anthropic/claude-haiku-4-5', scores: score(2) }),
    ];
    const comparison = compareRuns(a, b);
    expect(comparison.matchedBy).toBe('row+model+version');
    expect(comparison.rows.map((row) => row.change).sort()).toEqual(['improvement', 'regression']);
  });
});
