import type { StoreMigration } from './store-migration.ts';

/**
 * Evaluation runs and their results: one `eval_runs` row per run, one `eval_results` row per
 * dataset row × model × prompt version. The composite key is what makes a resumed run safe: a
 * cell is written once, and a resume skips the cells already there.
 */
export const evalRunsMigration: StoreMigration = {
  name: '0003_eval_runs',
  async up(db, dialect) {
    const time = dialect === 'postgres' ? 'timestamptz' : 'text';
    await db.schema
      .createTable('eval_runs')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text')
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('template', 'text', (column) => column.notNull())
      .addColumn('config_json', 'text', (column) => column.notNull())
      .addColumn('dataset_name', 'text', (column) => column.notNull())
      .addColumn('dataset_fingerprint', 'text', (column) => column.notNull())
      .addColumn('row_count', 'integer', (column) => column.notNull())
      .addColumn('total_cells', 'integer', (column) => column.notNull())
      .addColumn('owner', 'text')
      .addColumn('task_id', 'text')
      .addColumn('error_json', 'text')
      .addColumn('created_at', time, (column) => column.notNull())
      .addColumn('updated_at', time, (column) => column.notNull())
      .addColumn('finished_at', time)
      .execute();
    await db.schema.createIndex('eval_runs_created').on('eval_runs').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('eval_runs_owner').on('eval_runs').columns(['owner', 'created_at']).execute();

    await db.schema
      .createTable('eval_results')
      .addColumn('run_id', 'text', (column) =>
        column.notNull().references('eval_runs.id').onDelete('cascade'),
      )
      .addColumn('dataset_row', 'integer', (column) => column.notNull())
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('prompt_version', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('variables_json', 'text', (column) => column.notNull())
      .addColumn('ideal_output', 'text', (column) => column.notNull())
      .addColumn('model_output', 'text')
      .addColumn('error_class', 'text')
      .addColumn('error_message', 'text')
      .addColumn('call_id', 'text')
      .addColumn('trace_id', 'text')
      .addColumn('attempts', 'integer', (column) => column.notNull())
      .addColumn('input_tokens', 'integer', (column) => column.notNull())
      .addColumn('cached_input_tokens', 'integer', (column) => column.notNull())
      .addColumn('output_tokens', 'integer', (column) => column.notNull())
      .addColumn('cost_usd', 'double precision')
      .addColumn('latency_ms', 'double precision')
      .addColumn('scores_json', 'text', (column) => column.notNull())
      // The primary scorer's result on the 1–5 scale and its verdict, for sorting and SQL summaries.
      .addColumn('score', 'double precision')
      .addColumn('passed', 'smallint')
      .addColumn('score_error', 'text')
      .addColumn('judge_cost_usd', 'double precision')
      // A person's score, kept apart from the automatic ones.
      .addColumn('human_score', 'double precision')
      .addColumn('human_note', 'text')
      .addColumn('human_scored_at', time)
      .addColumn('finished_at', time, (column) => column.notNull())
      .addPrimaryKeyConstraint('eval_results_pk', ['run_id', 'dataset_row', 'model', 'prompt_version'])
      .execute();
    await db.schema.createIndex('eval_results_call').on('eval_results').column('call_id').execute();
  },
  async down(db) {
    await db.schema.dropTable('eval_results').execute();
    await db.schema.dropTable('eval_runs').execute();
  },
};
