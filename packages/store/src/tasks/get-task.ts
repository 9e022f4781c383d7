import type { StoreContext } from '../schema.ts';
import type { TaskRecord } from './task-record.ts';
import { rowToTask, tasksDb } from './task-row.ts';

/**
 * A task by id, or null.
 *
 * @example
 * const task = await getTask({ db, dialect }, id);
 */
export async function getTask(context: StoreContext, id: string): Promise<TaskRecord | null> {
  const row = await tasksDb(context).selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : rowToTask(row);
}
