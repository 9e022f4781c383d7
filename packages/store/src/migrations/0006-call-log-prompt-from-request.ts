import type { StoreMigration } from './store-migration.ts';

/**
 * Stores the prompt once. `prompt_text` held the readable flattening of the messages that
 * `request_json` already holds (same source, same sanitizing), so every row carried its prompt
 * twice. Readers now flatten `request_json` (`rowToEntry`), and search looks inside its strings
 * (`call-filter.ts`). Rows written before keep a readable prompt: theirs was flattened from the
 * same request, which the store's check had already cleaned.
 *
 * Dropping a column rewrites the table on SQLite (once, inside the migration's transaction);
 * on PostgreSQL it only marks the column dropped. Processes still running the previous release
 * cannot write to a migrated database (their INSERT names the column): upgrade them together.
 */
export const callLogPromptFromRequestMigration: StoreMigration = {
  name: '0006_call_log_prompt_from_request',
  async up(db) {
    await db.schema.alterTable('call_log').dropColumn('prompt_text').execute();
  },
  async down(db) {
    // The flattened text cannot be rebuilt in SQL; the previous release reads '' for these rows.
    await db.schema
      .alterTable('call_log')
      .addColumn('prompt_text', 'text', (column) => column.notNull().defaultTo(''))
      .execute();
  },
};
