import type { Kysely, Selectable } from 'kysely';
import type { StoreContext } from '../schema.ts';
import type { TaskFailure, TaskRecord, TaskStatus, TasksDatabase, TasksTable } from './task-record.ts';

export type TaskRow = Selectable<TasksTable>;

/** The store's Kysely instance, typed with the `tasks` table. */
export function tasksDb(context: StoreContext): Kysely<TasksDatabase> {
  return context.db.withTables<TasksDatabase>() as unknown as Kysely<TasksDatabase>;
}

function iso(value: string | Date): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

function isoOrNull(value: string | Date | null): string | null {
  return value === null ? null : iso(value);
}

function json(value: string | null): unknown {
  return value === null ? null : JSON.parse(value);
}

/** JSON text for a column; `undefined` and `null` both become SQL NULL. */
export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** A row as read back (PostgreSQL returns Dates and numeric strings; SQLite text and numbers). */
export function rowToTask(row: TaskRow): TaskRecord {
  return {
    id: row.id,
    kind: row.kind,
    owner: row.owner,
    status: row.status as TaskStatus,
    priority: Number(row.priority),
    traceId: row.trace_id,
    input: json(row.input_json),
    result: json(row.result_json),
    error: json(row.error_json) as TaskFailure | null,
    progress: json(row.progress_json),
    usage: json(row.usage_json),
    costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    timeoutMs: Number(row.timeout_ms),
    cancelRequested: Number(row.cancel_requested) === 1,
    workerId: row.worker_id,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
    runAfter: iso(row.run_after),
    leaseExpiresAt: isoOrNull(row.lease_expires_at),
  };
}
