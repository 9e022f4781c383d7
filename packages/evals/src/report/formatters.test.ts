import { describe, expect, it } from 'vitest';
import { makeResult } from '../../test/helpers/make-result.ts';
import { compareRuns } from './compare-runs.ts';
import { formatComparison } from './format-comparison.ts';
import { formatDuration } from './format-duration.ts';
import { formatProgressLine } from './format-progress-line.ts';

describe('formatDuration', () => {
  it('picks the unit', () => {
    expect([850, 42_000, 185_000, 7_440_000].map(formatDuration)).toEqual(['850ms', '42s', '3m05s', '2h04m']);
  });
});

describe('formatProgressLine', () => {
  it('shows cells, percent, ETA, spend, errors and cells in flight', () => {
    const base = {
      runId: 'r',
      total: 440,
      done: 120,
      resumed: 0,
      errors: 2,
      inFlight: 4,
      spentUsd: 0.01234,
      elapsedMs: 1,
    };
    expect(formatProgressLine({ ...base, etaMs: 72_000 })).toBe(
      '120/440 cells (27%) · ETA 1m12s · $0.0123 · 2 errors · 4 in flight',
    );
    expect(formatProgressLine({ ...base, done: 0, errors: 1, inFlight: 0, etaMs: null })).toBe(
      '0/440 cells (0%) · ETA – · $0.0123 · 1 error',
    );
    expect(formatProgressLine({ ...base, done: 440, inFlight: 0, etaMs: 0 })).toBe(
      '440/440 cells (100%) · done · $0.0123 · 2 errors',
    );
    expect(formatProgressLine({ ...base, heldByMemory: true, etaMs: 72_000 })).toBe(
      '120/440 cells (27%) · ETA 1m12s · $0.0123 · 2 errors · 4 in flight (held by the memory budget)',
    );
  });
});

describe('formatComparison', () => {
  it('lists regressions first and hides unchanged rows', () => {
    const judged = (score: number) => [
      { scorer: 'judge', scale: 'five-point' as const, score, passed: score >= 4, reason: null, judge: null },
    ];
    const a = [
      makeResult({ row: 1, scores: judged(4) }),
      makeResult({ row: 2, scores: judged(2) }),
      makeResult({ row: 3, scores: judged(3) }),
    ];
    const b = [
      makeResult({ row: 1, scores: judged(2) }),
      makeResult({ row: 2, scores: judged(5) }),
      makeResult({ row: 3, scores: judged(3) }),
    ];
    const text = formatComparison(compareRuns(a, b), { labels: ['v1', 'v2'] });
    const lines = text.split('\n');
    expect(lines[0]).toBe('v1 → v2 (matched by row)');
    expect(lines[2]).toBe('1 regressions · 1 improvements · 1 unchanged · 0 only in v1 · 0 only in v2');
    expect(lines.slice(5).map((line) => line.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      '1 regression 4.00→2.00',
      '2 improvement 2.00→5.00',
    ]);
    expect(formatComparison(compareRuns(a, b), { all: true }).split('\n')).toHaveLength(8);
  });
});
