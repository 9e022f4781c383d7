import type { StoreContext } from '../schema.ts';
import { evalsDb } from './eval-tables.ts';

/** A run's totals so far, computed in SQL. */
export type EvalRunTotals = {
  results: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  judgeCostUsd: number;
  humanScored: number;
};

/**
 * Counts and sums over a run's results: what a resumed run has already spent, what `list` shows.
 *
 * @example
 * const { results, costUsd } = await evalRunTotals(context, runId);
 */
export async function evalRunTotals(context: StoreContext, runId: string): Promise<EvalRunTotals> {
  const row = await evalsDb(context)
    .selectFrom('eval_results')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('results'),
      eb.fn
        .sum<number | string | null>(eb.case().when('status', '=', 'error').then(1).else(0).end())
        .as('errors'),
      eb.fn.sum<number | string | null>('input_tokens').as('input_tokens'),
      eb.fn.sum<number | string | null>('output_tokens').as('output_tokens'),
      eb.fn.sum<number | string | null>('cost_usd').as('cost_usd'),
      eb.fn.sum<number | string | null>('judge_cost_usd').as('judge_cost_usd'),
      eb.fn.count<number | string>('human_score').as('human_scored'),
    ])
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return {
    results: Number(row.results),
    errors: Number(row.errors ?? 0),
    inputTokens: Number(row.input_tokens ?? 0),
    outputTokens: Number(row.output_tokens ?? 0),
    costUsd: Number(row.cost_usd ?? 0),
    judgeCostUsd: Number(row.judge_cost_usd ?? 0),
    humanScored: Number(row.human_scored),
  };
}
