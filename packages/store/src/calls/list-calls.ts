import type { TextGuard } from '../guard.ts';
import type { StoreContext } from '../schema.ts';
import { filterConditions, type ResolvedCallFilter } from './call-filter.ts';
import type { CallLogEntry } from './call-log-entry.ts';
import { rowToEntry } from './call-row.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export const DEFAULT_PAGE_SIZE = 50;

/** What the reading functions take: the database, and the reading store's guard for `promptText`. */
export type CallReadContext = StoreContext & { guard?: Pick<TextGuard, 'clean'> };

export type CallPage = {
  /** Newest first. */
  items: CallLogEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
};

/**
 * The query behind a page: filter, keyset cursor, newest first, one row more than the page to
 * know whether another follows. Exported so tests can check which index answers each filter.
 */
export function pageQuery({ db, dialect }: StoreContext, filter: ResolvedCallFilter, pageSize: number) {
  const cursor = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  return db
    .selectFrom('call_log')
    .selectAll()
    .where((eb) => {
      const conditions = filterConditions(eb, filter, dialect);
      if (cursor !== undefined) {
        conditions.push(eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(cursor.createdAt, cursor.id)));
      }
      return eb.and(conditions);
    })
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize + 1);
}

/**
 * One page of attempts matching a filter, newest first (by start time, then id).
 *
 * @example
 * const { items, nextCursor } = await listCalls({ db, dialect }, { traceId: 'abc', limit: 20 });
 */
export async function listCalls(
  context: CallReadContext,
  filter: ResolvedCallFilter,
  pageSize: number = filter.limit ?? DEFAULT_PAGE_SIZE,
): Promise<CallPage> {
  const rows = await pageQuery(context, filter, pageSize).execute();
  const items = rows.slice(0, pageSize).map((row) => rowToEntry(row, context.guard));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > pageSize && last !== undefined ? encodeCursor(last) : null,
  };
}
