import { StoreError } from '../errors.ts';
import { encodeKeysetCursor, parseKeysetCursor } from '../keyset-cursor.ts';
import type { StoreContext } from '../schema.ts';
import type { TaskRecord, TaskStatus } from './task-record.ts';
import { rowToTask, tasksDb } from './task-row.ts';

/** Filters combine with AND; `cursor` is `nextCursor` of the previous page. */
export type TaskFilter = {
  owner?: string;
  status?: TaskStatus;
  kind?: string;
  traceId?: string;
  limit?: number;
  cursor?: string;
};

export type TaskPage = { items: TaskRecord[]; nextCursor: string | null };

/** A malformed task cursor; `field` is always `cursor`. */
export class TaskCursorError extends StoreError {
  readonly field = 'cursor';

  constructor() {
    super("invalid filter 'cursor': not a cursor returned by tasks.list");
    this.name = 'TaskCursorError';
  }
}

function cursorError(): never {
  throw new TaskCursorError();
}

/**
 * A page of tasks, newest first (creation time, then id).
 *
 * @example
 * const { items, nextCursor } = await listTasks({ db, dialect }, { owner: 'alice', status: 'failed', limit: 20 });
 */
export async function listTasks(context: StoreContext, filter: TaskFilter = {}): Promise<TaskPage> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000);
  const cursor =
    filter.cursor === undefined ? undefined : (parseKeysetCursor(filter.cursor) ?? cursorError());
  const rows = await tasksDb(context)
    .selectFrom('tasks')
    .selectAll()
    .where((eb) => {
      const conditions = [];
      if (filter.owner !== undefined) conditions.push(eb('owner', '=', filter.owner));
      if (filter.status !== undefined) conditions.push(eb('status', '=', filter.status));
      if (filter.kind !== undefined) conditions.push(eb('kind', '=', filter.kind));
      if (filter.traceId !== undefined) conditions.push(eb('trace_id', '=', filter.traceId));
      if (cursor !== undefined) {
        conditions.push(eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(cursor.createdAt, cursor.id)));
      }
      return eb.and(conditions);
    })
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(rowToTask);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeKeysetCursor(last) : null };
}
