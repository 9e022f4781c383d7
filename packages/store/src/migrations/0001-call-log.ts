import { sql } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/** The call log: one row per attempt, indexed for the queries `store.calls` runs. */
export const callLogMigration: StoreMigration = {
  name: '0001_call_log',
  async up(db, dialect) {
    await db.schema
      .createTable('call_log')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('call_id', 'text', (column) => column.notNull())
      .addColumn('attempt', 'integer', (column) => column.notNull())
      .addColumn('trace_id', 'text', (column) => column.notNull())
      .addColumn('user_id', 'text')
      .addColumn('task_id', 'text')
      .addColumn('eval_run_id', 'text')
      .addColumn('provider', 'text', (column) => column.notNull())
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('operation', 'text', (column) => column.notNull())
      .addColumn('template_name', 'text')
      .addColumn('template_version', 'text')
      .addColumn('template_hash', 'text')
      .addColumn('template_commit', 'text')
      .addColumn('prompt_text', 'text', (column) => column.notNull())
      .addColumn('request_json', 'text', (column) => column.notNull())
      .addColumn('response_text', 'text')
      .addColumn('tool_calls_json', 'text')
      .addColumn('finish_reason', 'text')
      .addColumn('input_tokens', 'integer', (column) => column.notNull())
      .addColumn('cached_input_tokens', 'integer', (column) => column.notNull())
      .addColumn('cache_write_tokens', 'integer', (column) => column.notNull())
      .addColumn('output_tokens', 'integer', (column) => column.notNull())
      .addColumn('reasoning_tokens', 'integer', (column) => column.notNull())
      .addColumn('cost_usd', 'double precision')
      .addColumn('latency_ms', 'double precision', (column) => column.notNull())
      .addColumn('ttft_ms', 'double precision')
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('error_class', 'text')
      .addColumn('error_message', 'text')
      .addColumn('tags', 'text', (column) => column.notNull())
      .addColumn('simulated', 'smallint', (column) => column.notNull())
      .addColumn('created_at', dialect === 'postgres' ? 'timestamptz' : 'text', (column) => column.notNull())
      .execute();

    // Each index costs write throughput (bench/store-writes.ts), so there are only those that pay
    // for themselves. List queries order newest first by (created_at, id). Ids, traces and calls
    // are time-ordered (UUIDv7), so their indexes grow at the end and are cheap; columns that are
    // often null get partial indexes, free for the rows that lack them. Deliberately NOT indexed:
    // user_id (hundreds of users interleave, so every batch dirties a page per user: measured at
    // ~40% of SQLite write throughput) and model/provider. Filtering by them walks the created_at
    // index, so bound such queries with `since`; aggregates scan their time range anyway.
    const table = 'call_log';
    await db.schema.createIndex('call_log_created_at').on(table).columns(['created_at', 'id']).execute();
    await db.schema.createIndex('call_log_call_id').on(table).columns(['call_id', 'attempt']).execute();
    await db.schema.createIndex('call_log_trace_id').on(table).column('trace_id').execute();
    await db.schema
      .createIndex('call_log_template')
      .on(table)
      .columns(['template_name', 'created_at'])
      .where('template_name', 'is not', null)
      .execute();
    await db.schema
      .createIndex('call_log_task_id')
      .on(table)
      .column('task_id')
      .where('task_id', 'is not', null)
      .execute();
    await db.schema
      .createIndex('call_log_eval_run_id')
      .on(table)
      .column('eval_run_id')
      .where('eval_run_id', 'is not', null)
      .execute();
    // Errors are few; `status = 'error'` must be written as a literal for this index to be used.
    await db.schema
      .createIndex('call_log_errors')
      .on(table)
      .column('created_at')
      .where(sql<boolean>`status = 'error'`)
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('call_log').execute();
  },
};
