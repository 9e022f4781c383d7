import type { StoreContext } from '../schema.ts';
import { type EvalRunRecord, rowToEvalRun } from './eval-run-record.ts';
import { evalsDb } from './eval-tables.ts';

/**
 * A run by id, or `null`.
 *
 * @example
 * const run = await getEvalRun({ db: store.db, dialect: store.dialect }, runId);
 */
export async function getEvalRun(context: StoreContext, id: string): Promise<EvalRunRecord | null> {
  const row = await evalsDb(context)
    .selectFrom('eval_runs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : rowToEvalRun(row);
}
