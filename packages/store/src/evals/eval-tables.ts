import type { ColumnType, Kysely } from 'kysely';
import type { StoreContext } from '../schema.ts';

type Time = ColumnType<string | Date, string, string>;
type NullableTime = ColumnType<string | Date | null, string | null, string | null>;

/** The `eval_runs` table (migration `0003_eval_runs`). */
export type EvalRunsTable = {
  id: string;
  name: string | null;
  status: string;
  template: string;
  config_json: string;
  dataset_name: string;
  dataset_fingerprint: string;
  row_count: number;
  total_cells: number;
  owner: string | null;
  task_id: string | null;
  error_json: string | null;
  created_at: Time;
  updated_at: Time;
  finished_at: NullableTime;
  /** Who runs it now (`host:pid:random`), renewed while it runs (migration `0005_eval_run_lease`). */
  lease_owner: string | null;
  lease_expires_at: NullableTime;
};

/** The `eval_results` table: one row per dataset row × model × prompt version. */
export type EvalResultsTable = {
  run_id: string;
  dataset_row: number;
  model: string;
  prompt_version: string;
  status: string;
  variables_json: string;
  ideal_output: string;
  model_output: string | null;
  error_class: string | null;
  error_message: string | null;
  call_id: string | null;
  trace_id: string | null;
  attempts: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  latency_ms: number | null;
  scores_json: string;
  score: number | null;
  passed: number | null;
  score_error: string | null;
  judge_cost_usd: number | null;
  human_score: number | null;
  human_note: string | null;
  human_scored_at: NullableTime;
  finished_at: Time;
};

/** The tables the eval functions see, on top of the store's `Database`. */
export type EvalsDatabase = { eval_runs: EvalRunsTable; eval_results: EvalResultsTable };

/** The store's Kysely instance, typed with the eval tables. */
export function evalsDb(context: StoreContext): Kysely<EvalsDatabase> {
  return context.db.withTables<EvalsDatabase>() as unknown as Kysely<EvalsDatabase>;
}

/** A time column as ISO-8601, whichever dialect read it. */
export function iso(value: string | Date): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
