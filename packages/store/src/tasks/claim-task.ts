import { type QueryCreator, sql } from 'kysely';
import type { StoreContext } from '../schema.ts';
import type { TaskRecord, TasksDatabase } from './task-record.ts';
import { rowToTask, tasksDb } from './task-row.ts';

export type ClaimOptions = {
  workerId: string;
  /** ISO-8601 now. */
  now: string;
  /** ISO-8601 end of the lease; the runner renews it while the task runs. */
  leaseUntil: string;
};

/**
 * Atomically takes up to `limit` runnable queued tasks (highest priority, then oldest) and marks
 * them running for `workerId`, counting an attempt each; returns them in that order. One
 * statement whatever the limit, so a runner with several free slots fills them in one round
 * trip. PostgreSQL uses `FOR UPDATE SKIP LOCKED`, so processes sharing a database never take the
 * same task; SQLite serialises writers anyway. The `tasks_claim_order` index makes this read the
 * first `limit` entries rather than sort every queued task.
 *
 * @example
 * const claimed = await claimTasks({ db, dialect }, { workerId, now, leaseUntil, limit: 4 });
 * for (const task of claimed) run(task);
 */
export async function claimTasks(
  context: StoreContext,
  options: ClaimOptions & { limit: number },
): Promise<TaskRecord[]> {
  const limit = Math.max(1, Math.floor(options.limit));
  const db = tasksDb(context);
  const claim = {
    status: 'running',
    worker_id: options.workerId,
    updated_at: options.now,
    lease_expires_at: options.leaseUntil,
    cancel_requested: 0,
  } as const;
  const next = (query: QueryCreator<TasksDatabase>) =>
    query
      .selectFrom('tasks')
      .select('id')
      .where('status', '=', 'queued')
      .where('run_after', '<=', options.now)
      .orderBy('priority', 'desc')
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit);
  // PostgreSQL: the ids are picked and locked once, in a CTE, and the update joins them.
  // `id IN (subquery … FOR UPDATE SKIP LOCKED LIMIT n)` may be planned as a semi-join that re-runs
  // the subquery per row, which under concurrent claims takes nothing at all. SQLite (one
  // writer at a time, and no `tasks.*` in RETURNING) keeps the plain subquery.
  const rows =
    context.dialect === 'postgres'
      ? await db
          .with('next', (query) => next(query).forUpdate().skipLocked())
          .updateTable('tasks')
          .from('next')
          .set((eb) => ({
            ...claim,
            attempts: eb('tasks.attempts', '+', 1),
            started_at: sql`coalesce(tasks.started_at, ${options.now})`,
          }))
          .whereRef('tasks.id', '=', 'next.id')
          .where('tasks.status', '=', 'queued')
          .returningAll('tasks')
          .execute()
      : await db
          .updateTable('tasks')
          .set((eb) => ({
            ...claim,
            attempts: eb('attempts', '+', 1),
            started_at: sql`coalesce(started_at, ${options.now})`,
          }))
          .where('status', '=', 'queued')
          .where('id', 'in', next(db))
          .returningAll()
          .execute();
  const tasks = rows.map(rowToTask);
  if (tasks.length > 1) tasks.sort(claimOrder);
  return tasks;
}

function claimOrder(a: TaskRecord, b: TaskRecord): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Atomically takes the next runnable queued task (highest priority, then oldest) and marks it
 * running for `workerId`, counting an attempt: `claimTasks` with a limit of one.
 *
 * @example
 * const task = await claimNextTask({ db, dialect }, { workerId, now, leaseUntil });
 * if (task !== null) run(task);
 */
export async function claimNextTask(
  context: StoreContext,
  options: ClaimOptions,
): Promise<TaskRecord | null> {
  const [task] = await claimTasks(context, { ...options, limit: 1 });
  return task ?? null;
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
