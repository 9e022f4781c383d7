import type { EvalRunRecord, EvalRunTotals } from '@reins/store';
import { z } from 'zod';
import { type EvalRunConfig, evalRunConfigSchema } from '../run/eval-run-config.ts';

/** A run as the API shows it: its matrix, where it is, what it has cost. */
export const evalRunPublicSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    status: z.enum(['queued', 'running', 'completed', 'stopped', 'failed', 'interrupted']),
    template: z.string(),
    versions: z.array(z.string()),
    models: z.array(z.string()),
    scorers: z.array(z.string()),
    judgeModel: z.string().nullable(),
    dataset: z.object({ name: z.string(), rows: z.number(), fingerprint: z.string() }),
    cells: z.object({ total: z.number(), done: z.number(), errors: z.number() }),
    costUsd: z.number().describe('the graded models'),
    judgeCostUsd: z.number(),
    humanScored: z.number(),
    budgetUsd: z.number().nullable(),
    taskId: z.string().nullable(),
    error: z.unknown().describe('why a run stopped or failed: { reason, message }'),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'EvalRun' });
export type EvalRunPublic = z.infer<typeof evalRunPublicSchema>;

/**
 * A stored run and its totals as the API shows them.
 *
 * @example
 * toEvalRunPublic(await getEvalRun(context, id), await evalRunTotals(context, id))
 */
export function toEvalRunPublic(run: EvalRunRecord, totals: EvalRunTotals): EvalRunPublic {
  const config: EvalRunConfig = evalRunConfigSchema.parse(run.config);
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    template: run.template,
    versions: config.versions.map((version) => version.label),
    models: config.models,
    scorers: config.scorers.map((scorer) => scorer.type),
    judgeModel: config.judgeModel ?? null,
    dataset: {
      name: config.dataset.name,
      rows: config.dataset.rowCount,
      fingerprint: config.dataset.fingerprint,
    },
    cells: { total: run.totalCells, done: totals.results, errors: totals.errors },
    costUsd: totals.costUsd,
    judgeCostUsd: totals.judgeCostUsd,
    humanScored: totals.humanScored,
    budgetUsd: config.budgetUsd ?? null,
    taskId: run.taskId,
    error: run.error,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  };
}
