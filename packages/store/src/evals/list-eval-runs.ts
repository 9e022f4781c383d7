import { StoreError } from '../errors.ts';
import { encodeKeysetCursor, parseKeysetCursor } from '../keyset-cursor.ts';
import type { StoreContext } from '../schema.ts';
import { type EvalRunRecord, rowToEvalRun } from './eval-run-record.ts';
import { evalsDb } from './eval-tables.ts';

export type EvalRunFilter = { owner?: string; template?: string; limit?: number; cursor?: string };
export type EvalRunPage = { items: EvalRunRecord[]; nextCursor: string | null };

/** A malformed eval-run cursor; `field` is always `cursor`. */
export class EvalRunCursorError extends StoreError {
  readonly field = 'cursor';

  constructor() {
    super("invalid filter 'cursor': not a cursor returned by listEvalRuns");
    this.name = 'EvalRunCursorError';
  }
}

function cursorError(): never {
  throw new EvalRunCursorError();
}

/**
 * A page of runs, newest first.
 *
 * @example
 * const { items } = await listEvalRuns(context, { template: 'contract_summary', limit: 20 });
 */
export async function listEvalRuns(context: StoreContext, filter: EvalRunFilter = {}): Promise<EvalRunPage> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000);
  const cursor =
    filter.cursor === undefined ? undefined : (parseKeysetCursor(filter.cursor) ?? cursorError());
  const rows = await evalsDb(context)
    .selectFrom('eval_runs')
    .selectAll()
    .where((eb) => {
      const conditions = [];
      if (filter.owner !== undefined) conditions.push(eb('owner', '=', filter.owner));
      if (filter.template !== undefined) conditions.push(eb('template', '=', filter.template));
      if (cursor !== undefined) {
        conditions.push(eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(cursor.createdAt, cursor.id)));
      }
      return eb.and(conditions);
    })
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const now = new Date();
  const items = rows.slice(0, limit).map((row) => rowToEvalRun(row, now));
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last !== undefined ? encodeKeysetCursor(last) : null;
  return { items, nextCursor };
}
