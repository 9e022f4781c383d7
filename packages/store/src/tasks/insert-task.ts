import type { StoreContext } from '../schema.ts';
import type { TaskRecord } from './task-record.ts';
import { rowToTask, tasksDb, toJson } from './task-row.ts';

/** What a new task needs; it starts `queued` with no attempts. */
export type NewTask = {
  id: string;
  kind: string;
  owner: string;
  traceId: string;
  input: unknown;
  priority: number;
  maxAttempts: number;
  timeoutMs: number;
  /** ISO-8601 creation time (the caller's clock). */
  now: string;
};

/**
 * Inserts a queued task and returns it as stored.
 *
 * @example
 * const task = await insertTask({ db, dialect }, { id, kind: 'generate', owner: 'alice', traceId,
 *   input: { prompt: 'Hi' }, priority: 50, maxAttempts: 3, timeoutMs: 60_000, now: new Date().toISOString() });
 */
export async function insertTask(context: StoreContext, task: NewTask): Promise<TaskRecord> {
  const row = await tasksDb(context)
    .insertInto('tasks')
    .values({
      id: task.id,
      kind: task.kind,
      owner: task.owner,
      status: 'queued',
      priority: task.priority,
      trace_id: task.traceId,
      input_json: toJson(task.input) ?? 'null',
      result_json: null,
      error_json: null,
      progress_json: null,
      usage_json: null,
      cost_usd: null,
      attempts: 0,
      max_attempts: task.maxAttempts,
      timeout_ms: task.timeoutMs,
      cancel_requested: 0,
      worker_id: null,
      created_at: task.now,
      updated_at: task.now,
      started_at: null,
      finished_at: null,
      run_after: task.now,
      lease_expires_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToTask(row);
}
