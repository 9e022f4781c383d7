import type { CallDetail } from './call-log-entry.ts';
import { rowToEntry } from './call-row.ts';
import type { CallReadContext } from './list-calls.ts';

/**
 * Reads an attempt by its id, or a call by its `callId` (then the last attempt is the main entry),
 * together with all attempts of that call. Null when neither matches.
 *
 * @example
 * const call = await getCall({ db, dialect }, result.callId);
 * call?.attempts.map((attempt) => attempt.status) // ['error', 'ok']
 */
export async function getCall({ db, guard }: CallReadContext, id: string): Promise<CallDetail | null> {
  const byId = await db.selectFrom('call_log').selectAll().where('id', '=', id).executeTakeFirst();
  const callId = byId?.call_id ?? id;
  const attempts = (
    await db
      .selectFrom('call_log')
      .selectAll()
      .where('call_id', '=', callId)
      .orderBy('attempt', 'asc')
      .orderBy('created_at', 'asc')
      .execute()
  ).map((row) => rowToEntry(row, guard));
  const main = byId !== undefined ? rowToEntry(byId, guard) : attempts.at(-1);
  return main === undefined ? null : { ...main, attempts };
}
