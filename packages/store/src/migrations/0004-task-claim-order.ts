import { sql } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * The claim query's order as an index: `status = 'queued'`, highest priority first, then oldest.
 * `0002_tasks`'s `tasks_claim` (status, priority, run_after) left the database sorting every
 * queued task on each claim (a temp B-tree on SQLite), so a claim cost O(queued) and draining a
 * backlog O(n²); with this one it reads the first runnable entry. `tasks_claim` goes: nothing
 * else filters on `run_after`, and every status change paid for it.
 */
export const taskClaimOrderMigration: StoreMigration = {
  name: '0004_task_claim_order',
  async up(db) {
    await db.schema
      .createIndex('tasks_claim_order')
      .on('tasks')
      .expression(sql`status, priority desc, created_at, id`)
      .execute();
    await db.schema.dropIndex('tasks_claim').execute();
  },
  async down(db) {
    await db.schema
      .createIndex('tasks_claim')
      .on('tasks')
      .columns(['status', 'priority', 'run_after'])
      .execute();
    await db.schema.dropIndex('tasks_claim_order').execute();
  },
};
