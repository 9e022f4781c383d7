import type { StoreContext } from '../schema.ts';
import { evalsDb } from './eval-tables.ts';

/**
 * Deletes a run's failed results (`status: 'error'`), so that a resume runs those cells again.
 * Resolves to how many were deleted.
 *
 * @example
 * await deleteFailedEvalResults(context, runId); // then resume the run
 */
export async function deleteFailedEvalResults(context: StoreContext, runId: string): Promise<number> {
  const outcome = await evalsDb(context)
    .deleteFrom('eval_results')
    .where('run_id', '=', runId)
    .where('status', '=', 'error')
    .executeTakeFirst();
  return Number(outcome.numDeletedRows);
}
