import { sql } from 'kysely';
import type { StoreContext } from '../schema.ts';
import type { TaskRecord } from './task-record.ts';
import { rowToTask, tasksDb } from './task-row.ts';

export type ClaimOptions = {
  workerId: string;
  /** ISO-8601 now. */
  now: string;
  /** ISO-8601 end of the lease; the runner renews it while the task runs. */
  leaseUntil: string;
};

/**
 * Atomically takes the next runnable queued task (highest priority, then oldest) and marks it
 * running for `workerId`, counting an attempt. PostgreSQL uses `FOR UPDATE SKIP LOCKED`, so
 * processes sharing a database never take the same task; SQLite serialises writers anyway.
 *
 * @example
 * const task = await claimNextTask({ db, dialect }, { workerId, now, leaseUntil });
 * if (task !== null) run(task);
 */
export async function claimNextTask(
  context: StoreContext,
  options: ClaimOptions,
): Promise<TaskRecord | null> {
  const db = tasksDb(context);
  const row = await db
    .updateTable('tasks')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      worker_id: options.workerId,
      started_at: sql`coalesce(started_at, ${options.now})`,
      updated_at: options.now,
      lease_expires_at: options.leaseUntil,
      cancel_requested: 0,
    }))
    .where('status', '=', 'queued')
    .where('id', '=', (eb) =>
      eb
        .selectFrom('tasks')
        .select('id')
        .where('status', '=', 'queued')
        .where('run_after', '<=', options.now)
        .orderBy('priority', 'desc')
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .limit(1)
        .$if(context.dialect === 'postgres', (query) => query.forUpdate().skipLocked()),
    )
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : rowToTask(row);
}

/**
 * Marks a specific task running for `workerId` (the BullMQ path, where Redis decides who runs
 * what). A task still `running` is taken over: that is a re-delivery after its worker died.
 * Null when the task is gone, finished or cancelled.
 *
 * @example
 * const task = await startTask({ db, dialect }, job.data.taskId, { workerId, now, leaseUntil });
 */
export async function startTask(
  context: StoreContext,
  id: string,
  options: ClaimOptions,
): Promise<TaskRecord | null> {
  const row = await tasksDb(context)
    .updateTable('tasks')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      worker_id: options.workerId,
      started_at: sql`coalesce(started_at, ${options.now})`,
      updated_at: options.now,
      lease_expires_at: options.leaseUntil,
    }))
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : rowToTask(row);
}
