import type { StoreContext } from '../schema.ts';
import type { TaskFailure, TaskRecord } from './task-record.ts';
import { rowToTask, tasksDb, toJson } from './task-row.ts';

export type FinishTask = {
  workerId: string;
  status: 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
  result?: unknown;
  error?: TaskFailure | null;
  usage?: unknown;
  costUsd?: number | null;
  now: string;
};

/**
 * Records the end of a running task. Only the worker holding the task can settle it: null means
 * the task was cancelled or taken over meanwhile, and this outcome is dropped.
 *
 * @example
 * await finishTask({ db, dialect }, task.id, { workerId, status: 'succeeded', result, now });
 */
export async function finishTask(
  context: StoreContext,
  id: string,
  finish: FinishTask,
): Promise<TaskRecord | null> {
  const row = await tasksDb(context)
    .updateTable('tasks')
    .set({
      status: finish.status,
      result_json: toJson(finish.result),
      error_json: toJson(finish.error),
      usage_json: toJson(finish.usage),
      cost_usd: finish.costUsd ?? null,
      finished_at: finish.now,
      updated_at: finish.now,
      lease_expires_at: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('worker_id', '=', finish.workerId)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : rowToTask(row);
}

/**
 * Puts a running task back in the queue. `retry` (a retryable failure) keeps the attempt and
 * waits until `runAfter`; `release` (shutdown) gives the attempt back, since it did not fail.
 *
 * @example
 * await requeueTask({ db, dialect }, task.id, { workerId, mode: 'retry', error, runAfter, now });
 */
export async function requeueTask(
  context: StoreContext,
  id: string,
  options: {
    workerId: string;
    mode: 'retry' | 'release';
    error?: TaskFailure;
    runAfter?: string;
    now: string;
  },
): Promise<TaskRecord | null> {
  const row = await tasksDb(context)
    .updateTable('tasks')
    .set((eb) => ({
      status: 'queued',
      worker_id: null,
      lease_expires_at: null,
      updated_at: options.now,
      run_after: options.runAfter ?? options.now,
      ...(options.error === undefined ? {} : { error_json: toJson(options.error) }),
      ...(options.mode === 'release' ? { attempts: eb('attempts', '-', 1) } : {}),
    }))
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('worker_id', '=', options.workerId)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : rowToTask(row);
}

/**
 * Stores a running task's progress (any JSON the kind defines).
 *
 * @example
 * await updateTaskProgress({ db, dialect }, task.id, { completed: 3, total: 10 }, now);
 */
export async function updateTaskProgress(
  context: StoreContext,
  id: string,
  progress: unknown,
  now: string,
): Promise<void> {
  await tasksDb(context)
    .updateTable('tasks')
    .set({ progress_json: toJson(progress), updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}
