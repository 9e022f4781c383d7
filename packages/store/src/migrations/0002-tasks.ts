import type { StoreMigration } from './store-migration.ts';

/** The task queue's durable state: one row per task, read by the API in both queue modes. */
export const tasksMigration: StoreMigration = {
  name: '0002_tasks',
  async up(db, dialect) {
    const time = dialect === 'postgres' ? 'timestamptz' : 'text';
    await db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('owner', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('priority', 'integer', (column) => column.notNull())
      .addColumn('trace_id', 'text', (column) => column.notNull())
      .addColumn('input_json', 'text', (column) => column.notNull())
      .addColumn('result_json', 'text')
      .addColumn('error_json', 'text')
      .addColumn('progress_json', 'text')
      .addColumn('usage_json', 'text')
      .addColumn('cost_usd', 'double precision')
      .addColumn('attempts', 'integer', (column) => column.notNull())
      .addColumn('max_attempts', 'integer', (column) => column.notNull())
      .addColumn('timeout_ms', 'integer', (column) => column.notNull())
      .addColumn('cancel_requested', 'smallint', (column) => column.notNull())
      .addColumn('worker_id', 'text')
      .addColumn('created_at', time, (column) => column.notNull())
      .addColumn('updated_at', time, (column) => column.notNull())
      .addColumn('started_at', time)
      .addColumn('finished_at', time)
      .addColumn('run_after', time, (column) => column.notNull())
      .addColumn('lease_expires_at', time)
      .execute();
    const indexes: Array<[string, string[]]> = [
      // claim: the next queued task by priority, then age
      ['tasks_claim', ['status', 'priority', 'run_after']],
      ['tasks_owner_created', ['owner', 'created_at', 'id']],
      ['tasks_created', ['created_at', 'id']],
      ['tasks_trace', ['trace_id', 'created_at']],
      ['tasks_lease', ['status', 'lease_expires_at']],
      ['tasks_finished', ['finished_at']],
    ];
    for (const [name, columns] of indexes) {
      await db.schema.createIndex(name).on('tasks').columns(columns).execute();
    }
  },
  async down(db) {
    await db.schema.dropTable('tasks').execute();
  },
};
