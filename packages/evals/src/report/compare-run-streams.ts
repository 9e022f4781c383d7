import { EvalsError } from '../evals-error.ts';
import type { EvalResult } from '../run/eval-result.ts';
import {
  primaryScore,
  type RowChange,
  type RowDifference,
  type RunComparison,
  rowDifference,
} from './compare-runs.ts';

export type CompareStreamsOptions = {
  /** `row` when each run is one model × prompt version, else `row+model+version`. */
  matchedBy: RunComparison['matchedBy'];
  /** Keep unchanged rows in `rows` too (default: only the rows that changed). */
  keepUnchanged?: boolean;
};

/**
 * {@link compareRuns} over two result streams in dataset order (as `evalRunResults` yields them),
 * one dataset row at a time: memory holds one row's cells and the differences kept, not the runs.
 *
 * @example
 * const comparison = await compareRunStreams(evalRunResults(store, a), evalRunResults(store, b), { matchedBy: 'row' });
 */
export async function compareRunStreams(
  a: AsyncIterable<EvalResult>,
  b: AsyncIterable<EvalResult>,
  options: CompareStreamsOptions,
): Promise<RunComparison> {
  const keyOf = (result: EvalResult) =>
    options.matchedBy === 'row'
      ? String(result.row)
      : `${result.row} ${result.model} ${result.promptVersion}`;
  const counts: Record<RowChange, number> = {
    regression: 0,
    improvement: 0,
    unchanged: 0,
    'only-a': 0,
    'only-b': 0,
  };
  const totals = { a: { score: 0, scored: 0, cost: 0 }, b: { score: 0, scored: 0, cost: 0 } };
  const tally = (side: 'a' | 'b', results: readonly EvalResult[]) => {
    for (const result of results) {
      const score = primaryScore(result);
      if (score !== null) {
        totals[side].score += score;
        totals[side].scored += 1;
      }
      totals[side].cost += result.costUsd ?? 0;
    }
  };
  const rows: RowDifference[] = [];
  const groupsA = groupByRow(a)[Symbol.asyncIterator]();
  const groupsB = groupByRow(b)[Symbol.asyncIterator]();
  let nextA = await groupsA.next();
  let nextB = await groupsB.next();
  while (nextA.done !== true || nextB.done !== true) {
    const rowA = nextA.done === true ? Number.POSITIVE_INFINITY : nextA.value.row;
    const rowB = nextB.done === true ? Number.POSITIVE_INFINITY : nextB.value.row;
    const row = Math.min(rowA, rowB);
    const inA = rowA === row && nextA.done !== true ? nextA.value.results : [];
    const inB = rowB === row && nextB.done !== true ? nextB.value.results : [];
    tally('a', inA);
    tally('b', inB);
    const byKeyA = new Map(inA.map((result) => [keyOf(result), result]));
    const byKeyB = new Map(inB.map((result) => [keyOf(result), result]));
    const keys = [...new Set([...byKeyA.keys(), ...byKeyB.keys()])].sort((left, right) =>
      left.localeCompare(right),
    );
    for (const key of keys) {
      const difference = rowDifference(key, byKeyA.get(key), byKeyB.get(key));
      counts[difference.change] += 1;
      if (options.keepUnchanged === true || difference.change !== 'unchanged') rows.push(difference);
    }
    if (rowA === row) nextA = await groupsA.next();
    if (rowB === row) nextB = await groupsB.next();
  }
  return {
    matchedBy: options.matchedBy,
    rows,
    counts,
    meanScoreA: totals.a.scored === 0 ? null : totals.a.score / totals.a.scored,
    meanScoreB: totals.b.scored === 0 ? null : totals.b.score / totals.b.scored,
    costUsdA: totals.a.cost,
    costUsdB: totals.b.cost,
  };
}

/** Consecutive results of one dataset row; the stream must be in ascending row order. */
async function* groupByRow(
  results: AsyncIterable<EvalResult>,
): AsyncGenerator<{ row: number; results: EvalResult[] }> {
  let current: { row: number; results: EvalResult[] } | undefined;
  for await (const result of results) {
    if (current !== undefined && result.row === current.row) {
      current.results.push(result);
      continue;
    }
    if (current !== undefined) {
      if (result.row < current.row)
        throw new EvalsError('compareRunStreams needs results in ascending row order');
      yield current;
    }
    current = { row: result.row, results: [result] };
  }
  if (current !== undefined) yield current;
}
