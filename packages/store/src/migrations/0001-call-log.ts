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

    // Every list query orders newest first by (created_at, id); each filter gets an index that
    // serves that order. Kept to what the queries use: each index costs write throughput.
    const indexes: Array<[string, string[]]> = [
      ['call_log_created_at', ['created_at', 'id']],
      ['call_log_call_id', ['call_id', 'attempt']],
      ['call_log_trace_id', ['trace_id', 'created_at']],
      ['call_log_user_id', ['user_id', 'created_at']],
      ['call_log_task_id', ['task_id', 'created_at']],
      ['call_log_eval_run_id', ['eval_run_id', 'created_at']],
      ['call_log_model', ['model', 'created_at']],
      ['call_log_template', ['template_name', 'created_at']],
      ['call_log_status', ['status', 'created_at']],
    ];
    for (const [name, columns] of indexes) {
      await db.schema.createIndex(name).on('call_log').columns(columns).execute();
    }
  },
  async down(db) {
    await db.schema.dropTable('call_log').execute();
  },
};
