import { z } from 'zod';
import type { EvalResult } from '../run/eval-result.ts';
import { scoreScaleSchema } from '../scorers/scorer.ts';
import { toFivePoint } from '../scorers/to-five-point.ts';
import { percentile } from './percentile.ts';

const distributionSchema = z.tuple([z.int(), z.int(), z.int(), z.int(), z.int()]);

/** One scorer's numbers within a group: mean on its own scale, 1–5 distribution, pass rate. */
export const scoreStatsSchema = z.object({
  scorer: z.string(),
  scale: scoreScaleSchema,
  graded: z.int(),
  mean: z.number().nullable(),
  /** Counts of 1, 2, 3, 4, 5 on the Workbench scale (see `toFivePoint`). */
  distribution: distributionSchema,
  passed: z.int(),
  passRate: z.number().nullable(),
});
export type ScoreStats = z.infer<typeof scoreStatsSchema>;

/** The report of one model × prompt version. */
export const groupReportSchema = z.object({
  model: z.string(),
  promptVersion: z.string(),
  rows: z.int(),
  ok: z.int(),
  errors: z.int(),
  scoreErrors: z.int(),
  scores: z.array(scoreStatsSchema),
  human: z.object({ count: z.int(), mean: z.number().nullable(), distribution: distributionSchema }),
  inputTokens: z.int(),
  outputTokens: z.int(),
  costUsd: z.number(),
  /** The judge's own spend grading this group, apart from `costUsd`. */
  judgeCostUsd: z.number(),
  latencyP50Ms: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
});
export type GroupReport = z.infer<typeof groupReportSchema>;

export type SummarizeOptions = {
  /** Pass at this 1–5 score instead of each scorer's own threshold. */
  threshold?: number;
};

type Group = {
  report: GroupReport;
  latencies: number[];
  scoreSums: Map<string, number>;
  humanSum: number;
};

/**
 * Folds results (streamed, any order) into one report per model × prompt version: rows, errors,
 * each scorer's mean, 1–5 distribution and pass rate, human scores apart, tokens, cost, judge
 * cost and latency p50/p95. Memory grows with groups and latencies only, not with outputs.
 *
 * @example
 * const reports = await summarizeResults(store.evals.results(runId), { threshold: 4 });
 */
export async function summarizeResults(
  results: AsyncIterable<EvalResult> | Iterable<EvalResult>,
  options: SummarizeOptions = {},
): Promise<GroupReport[]> {
  const groups = new Map<string, Group>();
  for await (const result of results) {
    const key = `${result.model}\u0000${result.promptVersion}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        report: emptyReport(result.model, result.promptVersion),
        latencies: [],
        scoreSums: new Map(),
        humanSum: 0,
      };
      groups.set(key, group);
    }
    add(group, result, options);
  }
  return [...groups.values()].map(finish);
}

function emptyReport(model: string, promptVersion: string): GroupReport {
  return {
    model,
    promptVersion,
    rows: 0,
    ok: 0,
    errors: 0,
    scoreErrors: 0,
    scores: [],
    human: { count: 0, mean: null, distribution: [0, 0, 0, 0, 0] },
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    judgeCostUsd: 0,
    latencyP50Ms: null,
    latencyP95Ms: null,
  };
}

function add(group: Group, result: EvalResult, options: SummarizeOptions): void {
  const report = group.report;
  report.rows += 1;
  if (result.status === 'ok') report.ok += 1;
  else report.errors += 1;
  if (result.scoreError !== null) report.scoreErrors += 1;
  report.inputTokens += result.inputTokens;
  report.outputTokens += result.outputTokens;
  report.costUsd += result.costUsd ?? 0;
  if (result.latencyMs !== null && result.status === 'ok') group.latencies.push(result.latencyMs);
  for (const score of result.scores) {
    let stats = report.scores.find((entry) => entry.scorer === score.scorer);
    if (stats === undefined) {
      stats = {
        scorer: score.scorer,
        scale: score.scale,
        graded: 0,
        mean: null,
        distribution: [0, 0, 0, 0, 0],
        passed: 0,
        passRate: null,
      };
      report.scores.push(stats);
    }
    const fivePoint = toFivePoint(score);
    stats.graded += 1;
    stats.distribution[fivePoint - 1]! += 1;
    const passed = options.threshold === undefined ? score.passed : fivePoint >= options.threshold;
    if (passed) stats.passed += 1;
    group.scoreSums.set(score.scorer, (group.scoreSums.get(score.scorer) ?? 0) + score.score);
    report.judgeCostUsd += score.judge?.costUsd ?? 0;
  }
  if (result.humanScore !== null) {
    report.human.count += 1;
    report.human.distribution[Math.round(result.humanScore) - 1]! += 1;
    group.humanSum += result.humanScore;
  }
}

function finish(group: Group): GroupReport {
  const report = group.report;
  for (const stats of report.scores) {
    if (stats.graded === 0) continue;
    stats.mean = group.scoreSums.get(stats.scorer)! / stats.graded;
    // Over every row of the group: an error or an ungraded answer is not a pass.
    stats.passRate = stats.passed / report.rows;
  }
  if (report.human.count > 0) report.human.mean = group.humanSum / report.human.count;
  const sorted = group.latencies.sort((left, right) => left - right);
  report.latencyP50Ms = percentile(sorted, 50);
  report.latencyP95Ms = percentile(sorted, 95);
  return report;
}
