import type { StoreContext } from '../schema.ts';

const ROWS_PER_DELETE = 5000;

/**
 * Retention: deletes attempts that started before `date`, in chunks so a large purge does not
 * hold the SQLite write lock (or block the event loop) for long. Returns how many were deleted.
 *
 * @example
 * await deleteOlderThan({ db, dialect }, new Date(Date.now() - 30 * 86_400_000))
 */
export async function deleteOlderThan({ db }: StoreContext, date: Date): Promise<number> {
  const before = date.toISOString();
  let total = 0;
  for (;;) {
    const result = await db
      .deleteFrom('call_log')
      .where('id', 'in', (eb) =>
        eb.selectFrom('call_log').select('id').where('created_at', '<', before).limit(ROWS_PER_DELETE),
      )
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < ROWS_PER_DELETE) return total;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
