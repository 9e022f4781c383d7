import { sql } from 'kysely';
import type { StoreContext } from '../schema.ts';
import { type EvalRunRecord, rowToEvalRun } from './eval-run-record.ts';
import { evalsDb } from './eval-tables.ts';

export type EvalRunLeaseRequest = {
  /** Who asks: unique per process and run (`host:pid:random`). */
  owner: string;
  /** The caller's clock. */
  now: Date;
  /** How long the lease lasts unless renewed. */
  ttlMs: number;
  /** Also take it from this holder, lease or not (the caller knows that process is dead). */
  takeOverFrom?: string;
};

/**
 * Takes the run for `owner` in one conditional update: granted when nobody holds it, the holder's
 * lease expired (it died), or `owner` already holds it. Resolves to the run as stored, or `null`
 * when another live process holds it (or there is no such run), so two processes resuming the
 * same run cannot both run it.
 *
 * @example
 * const run = await acquireEvalRunLease(context, runId, { owner, now: new Date(), ttlMs: 30_000 });
 * if (run === null) throw new Error('already running elsewhere');
 */
export async function acquireEvalRunLease(
  context: StoreContext,
  id: string,
  request: EvalRunLeaseRequest,
): Promise<EvalRunRecord | null> {
  const now = request.now.toISOString();
  const row = await evalsDb(context)
    .updateTable('eval_runs')
    .set({
      lease_owner: request.owner,
      lease_expires_at: new Date(request.now.getTime() + request.ttlMs).toISOString(),
      updated_at: now,
    })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('lease_owner', 'is', null),
        eb('lease_owner', '=', request.owner),
        eb('lease_expires_at', 'is', null),
        eb('lease_expires_at', '<', leaseTime(context, now)),
        ...(request.takeOverFrom === undefined ? [] : [eb('lease_owner', '=', request.takeOverFrom)]),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : rowToEvalRun(row, request.now);
}

/**
 * Extends the lease `owner` holds; resolves to `false` when it no longer holds it (it expired
 * and another process took the run), in which case the caller must stop working on the run.
 *
 * @example
 * if (!(await renewEvalRunLease(context, runId, { owner, now: new Date(), ttlMs: 30_000 }))) stop();
 */
export async function renewEvalRunLease(
  context: StoreContext,
  id: string,
  request: EvalRunLeaseRequest,
): Promise<boolean> {
  const result = await evalsDb(context)
    .updateTable('eval_runs')
    .set({ lease_expires_at: new Date(request.now.getTime() + request.ttlMs).toISOString() })
    .where('id', '=', id)
    .where('lease_owner', '=', request.owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** PostgreSQL compares `timestamptz` with a typed value; SQLite compares ISO-8601 text. */
function leaseTime(context: StoreContext, iso: string) {
  return context.dialect === 'postgres' ? sql<string>`${iso}::timestamptz` : iso;
}
