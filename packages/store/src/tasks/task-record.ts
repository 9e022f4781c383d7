import type { ColumnType } from 'kysely';

/** Where a task is: waiting, running, or one of the four final states. */
export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed_out';

/** The statuses a task never leaves. */
export const FINAL_TASK_STATUSES: readonly TaskStatus[] = ['succeeded', 'failed', 'cancelled', 'timed_out'];

/** Why a task (attempt) failed; `retryable` says whether the queue may try again. */
export type TaskFailure = { class: string; message: string; retryable: boolean };

/**
 * A task as the store keeps it. `input`, `result`, `progress` and `usage` are JSON values whose
 * shape belongs to the task's kind (the server validates them); times are ISO-8601 strings.
 */
export type TaskRecord = {
  id: string;
  kind: string;
  owner: string;
  status: TaskStatus;
  /** 0-100, higher runs first. */
  priority: number;
  traceId: string;
  input: unknown;
  result: unknown;
  error: TaskFailure | null;
  progress: unknown;
  usage: unknown;
  costUsd: number | null;
  /** Attempts started so far (a retry or a re-run after a crash counts). */
  attempts: number;
  maxAttempts: number;
  timeoutMs: number;
  cancelRequested: boolean;
  /** The process running (or that last ran) the task. */
  workerId: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Not claimed before this time (retry backoff). */
  runAfter: string;
  /** A running task whose lease passes this time is presumed dead and re-queued. */
  leaseExpiresAt: string | null;
};

type Time = ColumnType<string | Date, string, string>;
type NullableTime = ColumnType<string | Date | null, string | null, string | null>;

/** The `tasks` table (added by migration `0002_tasks`). */
export type TasksTable = {
  id: string;
  kind: string;
  owner: string;
  status: string;
  priority: number;
  trace_id: string;
  input_json: string;
  result_json: string | null;
  error_json: string | null;
  progress_json: string | null;
  usage_json: string | null;
  cost_usd: number | null;
  attempts: number;
  max_attempts: number;
  timeout_ms: number;
  cancel_requested: number;
  worker_id: string | null;
  created_at: Time;
  updated_at: Time;
  started_at: NullableTime;
  finished_at: NullableTime;
  run_after: Time;
  lease_expires_at: NullableTime;
};

/** The tables the task functions see, on top of the store's `Database`. */
export type TasksDatabase = { tasks: TasksTable };
