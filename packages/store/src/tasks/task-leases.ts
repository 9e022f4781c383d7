import type { StoreContext } from '../schema.ts';
import type { TaskFailure } from './task-record.ts';
import { tasksDb, toJson } from './task-row.ts';

/**
 * Extends the leases of the tasks `workerId` is running. Returns the ids still held: a task
 * missing from the answer was cancelled or taken over, and its runner should abort it.
 *
 * @example
 * const held = await renewTaskLeases({ db, dialect }, workerId, [...running.keys()], leaseUntil, now);
 */
export async function renewTaskLeases(
  context: StoreContext,
  workerId: string,
  ids: string[],
  leaseUntil: string,
  now: string,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tasksDb(context)
    .updateTable('tasks')
    .set({ lease_expires_at: leaseUntil, updated_at: now })
    .where('id', 'in', ids)
    .where('status', '=', 'running')
    .where('worker_id', '=', workerId)
    .returning('id')
    .execute();
  return new Set(rows.map((row) => row.id));
}

/**
 * Recovers tasks whose runner died (kill -9, crash, lost machine): a running task whose lease
 * has passed goes back to the queue, or fails when it has used all its attempts.
 *
 * @example
 * const { requeued, failed } = await recoverExpiredTasks({ db, dialect }, new Date().toISOString());
 */
export async function recoverExpiredTasks(
  context: StoreContext,
  now: string,
): Promise<{ requeued: string[]; failed: string[] }> {
  const db = tasksDb(context);
  const lost: TaskFailure = {
    class: 'TaskLostError',
    message: 'the process running the task stopped; no attempts left',
    retryable: false,
  };
  return db.transaction().execute(async (transaction) => {
    const failed = await transaction
      .updateTable('tasks')
      .set({
        status: 'failed',
        error_json: toJson(lost),
        finished_at: now,
        updated_at: now,
        lease_expires_at: null,
      })
      .where('status', '=', 'running')
      .where('lease_expires_at', '<', now)
      .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
      .returning('id')
      .execute();
    const requeued = await transaction
      .updateTable('tasks')
      .set({ status: 'queued', worker_id: null, lease_expires_at: null, updated_at: now, run_after: now })
      .where('status', '=', 'running')
      .where('lease_expires_at', '<', now)
      .returning('id')
      .execute();
    return { requeued: requeued.map((row) => row.id), failed: failed.map((row) => row.id) };
  });
}
