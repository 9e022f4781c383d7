import type { StoreContext } from '../schema.ts';
import type { TaskStatus } from './task-record.ts';
import { tasksDb } from './task-row.ts';

/**
 * Tasks per status (every status present, zero when none), optionally for one owner.
 *
 * @example
 * const { queued, running } = await countTasks({ db, dialect });
 */
export async function countTasks(context: StoreContext, owner?: string): Promise<Record<TaskStatus, number>> {
  const rows = await tasksDb(context)
    .selectFrom('tasks')
    .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
    .$if(owner !== undefined, (query) => query.where('owner', '=', owner!))
    .groupBy('status')
    .execute();
  const counts: Record<TaskStatus, number> = {
    queued: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    timed_out: 0,
  };
  for (const row of rows) counts[row.status as TaskStatus] = Number(row.count);
  return counts;
}
