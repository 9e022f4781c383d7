import type { StoreContext } from '../schema.ts';
import type { TaskRecord } from './task-record.ts';
import { rowToTask, tasksDb } from './task-row.ts';

/**
 * Cancels a queued or running task: it is `cancelled` at once, and `cancel_requested` tells the
 * process running it (which sees the change on its next lease renewal, or sooner through the
 * queue's own signal) to abort. Null when the task is missing or already final.
 *
 * @example
 * const task = await cancelTask({ db, dialect }, id, new Date().toISOString());
 */
export async function cancelTask(context: StoreContext, id: string, now: string): Promise<TaskRecord | null> {
  const row = await tasksDb(context)
    .updateTable('tasks')
    .set({
      status: 'cancelled',
      cancel_requested: 1,
      finished_at: now,
      updated_at: now,
      lease_expires_at: null,
    })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : rowToTask(row);
}
