import type { StoreContext } from '../schema.ts';
import { type EvalRunRecord, type EvalRunStatus, rowToEvalRun } from './eval-run-record.ts';
import { evalsDb } from './eval-tables.ts';

/** What may change on a run; `finishedAt: null` clears it when a stopped run resumes. */
export type EvalRunUpdate = {
  status?: EvalRunStatus;
  error?: unknown;
  finishedAt?: string | null;
  taskId?: string | null;
  /**
   * Only when this process holds the run's lease (see `acquireEvalRunLease`), and let it go:
   * a process that lost its lease must not overwrite the status its successor writes.
   */
  releaseLeaseOf?: string;
  /** ISO-8601 time of the change. */
  now: string;
};

/**
 * Changes a run's status, error, finish time or task; resolves to the run as stored, or `null`
 * when there is no such run (or, with `releaseLeaseOf`, when that owner no longer holds it).
 *
 * @example
 * await updateEvalRun(context, runId, { status: 'stopped', error: { reason: 'budget' }, finishedAt: now, now });
 */
export async function updateEvalRun(
  context: StoreContext,
  id: string,
  update: EvalRunUpdate,
): Promise<EvalRunRecord | null> {
  const row = await evalsDb(context)
    .updateTable('eval_runs')
    .set({
      updated_at: update.now,
      ...(update.status !== undefined ? { status: update.status } : {}),
      ...(update.error !== undefined
        ? { error_json: update.error === null ? null : JSON.stringify(update.error) }
        : {}),
      ...(update.finishedAt !== undefined ? { finished_at: update.finishedAt } : {}),
      ...(update.taskId !== undefined ? { task_id: update.taskId } : {}),
      ...(update.releaseLeaseOf !== undefined ? { lease_owner: null, lease_expires_at: null } : {}),
    })
    .where('id', '=', id)
    .$if(update.releaseLeaseOf !== undefined, (query) =>
      query.where('lease_owner', '=', update.releaseLeaseOf!),
    )
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : rowToEvalRun(row);
}
