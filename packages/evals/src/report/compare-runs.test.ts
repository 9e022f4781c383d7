import { describe, expect, it } from 'vitest';
import { makeResult } from '../../test/helpers/make-result.ts';
import type { EvalResult } from '../run/eval-result.ts';
import type { ScoreResult } from '../scorers/scorer.ts';
import { compareRunStreams } from './compare-run-streams.ts';
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

describe('compareRunStreams', () => {
  async function* stream(results: EvalResult[]) {
    yield* [...results].sort((left, right) => left.row - right.row);
  }

  it('agrees with compareRuns, one dataset row at a time', async () => {
    const a = [1, 2, 3, 4, 6].flatMap((row) => [
      makeResult({ row, scores: score((row % 5) + 1) }),
      makeResult({
        row,
        model: 'anthropic/claude-haiku-4-5',
        scores: score(((row + 2) % 5) + 1),
        costUsd: 0.5,
      }),
    ]);
    const b = [1, 2, 3, 5, 6].flatMap((row) => [
      makeResult({ row, scores: score(((row + 1) % 5) + 1), modelOutput: `b${row}` }),
      makeResult({ row, model: 'anthropic/claude-haiku-4-5', scores: score(((row + 2) % 5) + 1) }),
    ]);
    const whole = compareRuns(a, b);
    const streamed = await compareRunStreams(stream(a), stream(b), {
      matchedBy: whole.matchedBy,
      keepUnchanged: true,
    });
    expect(streamed).toEqual(whole);
    const changedOnly = await compareRunStreams(stream(a), stream(b), { matchedBy: whole.matchedBy });
    expect(changedOnly.rows).toEqual(whole.rows.filter((row) => row.change !== 'unchanged'));
    expect(changedOnly.counts).toEqual(whole.counts);
  });

  it('refuses results out of row order', async () => {
    const out = [makeResult({ row: 2 }), makeResult({ row: 1 })];
    await expect(
      compareRunStreams(
        stream([]),
        (async function* () {
          yield* out;
        })(),
        { matchedBy: 'row' },
      ),
    ).rejects.toThrow(/ascending row order/);
  });
});
