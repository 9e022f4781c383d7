import { z } from 'zod';
import type { EvalResult } from '../run/eval-result.ts';
import { toFivePoint } from '../scorers/to-five-point.ts';

/** How a row fared from run A to run B. */
export const rowChangeSchema = z.enum(['regression', 'improvement', 'unchanged', 'only-a', 'only-b']);
export type RowChange = z.infer<typeof rowChangeSchema>;

/** One row side by side. Scores are the primary scorer's, on the 1–5 scale. */
export const rowDifferenceSchema = z.object({
  row: z.int(),
  key: z.string(),
  change: rowChangeSchema,
  scoreA: z.number().nullable(),
  scoreB: z.number().nullable(),
  delta: z.number().nullable(),
  passedA: z.boolean().nullable(),
  passedB: z.boolean().nullable(),
  statusA: z.enum(['ok', 'error']).nullable(),
  statusB: z.enum(['ok', 'error']).nullable(),
  outputChanged: z.boolean(),
  costDeltaUsd: z.number().nullable(),
  latencyDeltaMs: z.number().nullable(),
});
export type RowDifference = z.infer<typeof rowDifferenceSchema>;

export const runComparisonSchema = z.object({
  /** `row` when each run holds one model × prompt version; else `row+model+version`. */
  matchedBy: z.enum(['row', 'row+model+version']),
  rows: z.array(rowDifferenceSchema),
  counts: z.record(rowChangeSchema, z.int()),
  meanScoreA: z.number().nullable(),
  meanScoreB: z.number().nullable(),
  costUsdA: z.number(),
  costUsdB: z.number(),
});
export type RunComparison = z.infer<typeof runComparisonSchema>;

/**
 * Compares two runs row by row. A regression is a row that passed in A and fails in B, that
 * scores lower in B, or that answered in A and errors in B; an improvement the reverse. When
 * each run is a single model × prompt version (a model swap, a prompt edit) rows are matched by
 * row number; otherwise by row, model and version together.
 *
 * @example
 * const { counts, rows } = compareRuns(await all(resultsOf(a)), await all(resultsOf(b)));
 * for (const row of rows.filter((r) => r.change === 'regression')) console.log(row.row, row.scoreA, '→', row.scoreB);
 */
export function compareRuns(a: readonly EvalResult[], b: readonly EvalResult[]): RunComparison {
  const single = combos(a) <= 1 && combos(b) <= 1;
  const keyOf = (result: EvalResult) =>
    single ? String(result.row) : `${result.row} ${result.model} ${result.promptVersion}`;
  const byKeyA = new Map(a.map((result) => [keyOf(result), result]));
  const byKeyB = new Map(b.map((result) => [keyOf(result), result]));
  const keys = [...new Set([...byKeyA.keys(), ...byKeyB.keys()])];
  const rows = keys.map((key) => rowDifference(key, byKeyA.get(key), byKeyB.get(key)));
  rows.sort((left, right) => left.row - right.row || left.key.localeCompare(right.key));
  const counts: Record<RowChange, number> = {
    regression: 0,
    improvement: 0,
    unchanged: 0,
    'only-a': 0,
    'only-b': 0,
  };
  for (const row of rows) counts[row.change] += 1;
  return {
    matchedBy: single ? 'row' : 'row+model+version',
    rows,
    counts,
    meanScoreA: mean(a.map(primaryScore)),
    meanScoreB: mean(b.map(primaryScore)),
    costUsdA: a.reduce((sum, result) => sum + (result.costUsd ?? 0), 0),
    costUsdB: b.reduce((sum, result) => sum + (result.costUsd ?? 0), 0),
  };
}

function combos(results: readonly EvalResult[]): number {
  return new Set(results.map((result) => `${result.model}\u0000${result.promptVersion}`)).size;
}

/** The primary score of a result on the 1–5 scale, or `null` when ungraded. */
export function primaryScore(result: EvalResult | undefined): number | null {
  const score = result?.scores[0];
  return score === undefined ? null : toFivePoint(score);
}

function mean(values: Array<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length;
}

/** One cell of run A beside the same cell of run B (either may be missing). */
export function rowDifference(
  key: string,
  a: EvalResult | undefined,
  b: EvalResult | undefined,
): RowDifference {
  const scoreA = primaryScore(a);
  const scoreB = primaryScore(b);
  const passedA = a?.scores[0]?.passed ?? null;
  const passedB = b?.scores[0]?.passed ?? null;
  return {
    row: (a ?? b)!.row,
    key,
    change: classify(a, b, scoreA, scoreB, passedA, passedB),
    scoreA,
    scoreB,
    delta: scoreA === null || scoreB === null ? null : scoreB - scoreA,
    passedA,
    passedB,
    statusA: a?.status ?? null,
    statusB: b?.status ?? null,
    outputChanged: a !== undefined && b !== undefined && a.modelOutput !== b.modelOutput,
    costDeltaUsd: a?.costUsd == null || b?.costUsd == null ? null : b.costUsd - a.costUsd,
    latencyDeltaMs: a?.latencyMs == null || b?.latencyMs == null ? null : b.latencyMs - a.latencyMs,
  };
}

function classify(
  a: EvalResult | undefined,
  b: EvalResult | undefined,
  scoreA: number | null,
  scoreB: number | null,
  passedA: boolean | null,
  passedB: boolean | null,
): RowChange {
  if (a === undefined) return 'only-b';
  if (b === undefined) return 'only-a';
  if (a.status === 'ok' && b.status === 'error') return 'regression';
  if (a.status === 'error' && b.status === 'ok') return 'improvement';
  if (passedA === true && passedB === false) return 'regression';
  if (passedA === false && passedB === true) return 'improvement';
  if (scoreA !== null && scoreB !== null && scoreB < scoreA) return 'regression';
  if (scoreA !== null && scoreB !== null && scoreB > scoreA) return 'improvement';
  return 'unchanged';
}
