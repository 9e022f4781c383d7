import type { ColumnType, Kysely } from 'kysely';

/**
 * One row per attempt. Column types are the ones both dialects agree on: JSON is kept as text
 * (exactly what was written, readable with any SQL client), `created_at` is ISO-8601 text on
 * SQLite and `timestamptz` on PostgreSQL (it is written as an ISO string and read back as either).
 */
export type CallLogTable = {
  id: string;
  call_id: string;
  attempt: number;
  trace_id: string;
  user_id: string | null;
  task_id: string | null;
  eval_run_id: string | null;
  provider: string;
  model: string;
  operation: string;
  template_name: string | null;
  template_version: string | null;
  template_hash: string | null;
  template_commit: string | null;
  /** The sanitized request as JSON; the readable prompt (`promptText`) is flattened from it on read. */
  request_json: string;
  response_text: string | null;
  tool_calls_json: string | null;
  finish_reason: string | null;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_usd: number | null;
  latency_ms: number;
  ttft_ms: number | null;
  status: string;
  error_class: string | null;
  error_message: string | null;
  /** JSON array of strings. */
  tags: string;
  /** 0 or 1 (SQLite has no boolean; PostgreSQL uses smallint for the same reason). */
  simulated: number;
  created_at: ColumnType<string | Date, string, string>;
};

/** The whole schema. Issues that add tables (tasks, eval runs) extend this type and add a migration. */
export type Database = {
  call_log: CallLogTable;
};

export type StoreDialect = 'sqlite' | 'postgres';

/** What every persistence function takes. */
export type StoreContext = { db: Kysely<Database>; dialect: StoreDialect };
