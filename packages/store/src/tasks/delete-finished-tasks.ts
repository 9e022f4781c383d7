import type { StoreContext } from '../schema.ts';
import { FINAL_TASK_STATUSES } from './task-record.ts';
import { tasksDb } from './task-row.ts';

/**
 * TTL cleanup: deletes tasks that finished before `before` (ISO-8601). Returns how many.
 *
 * @example
 * await deleteFinishedTasks({ db, dialect }, new Date(Date.now() - 7 * 86_400_000).toISOString());
 */
export async function deleteFinishedTasks(context: StoreContext, before: string): Promise<number> {
  const result = await tasksDb(context)
    .deleteFrom('tasks')
    .where('status', 'in', [...FINAL_TASK_STATUSES])
    .where('finished_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
