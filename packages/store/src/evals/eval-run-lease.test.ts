import { afterAll, describe, expect, it } from 'vitest';
import { backends, open } from '../../test/helpers/backends.ts';
import type { StoreContext } from '../schema.ts';
import { acquireEvalRunLease, renewEvalRunLease } from './eval-run-lease.ts';
import { getEvalRun } from './get-eval-run.ts';
import { insertEvalRun } from './insert-eval-run.ts';
import { listEvalRuns } from './list-eval-runs.ts';
import { updateEvalRun } from './update-eval-run.ts';

const at = (seconds: number) => new Date(Date.UTC(2025, 0, 2, 3, 0, seconds));

describe.each(backends())('eval run leases on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it('lets one process at a time hold a run, reads a dead holder as interrupted, hands it over', async () => {
    const store = await open(backend.freshUrl());
    const context: StoreContext = { db: store.db, dialect: store.dialect };
    try {
      await insertEvalRun(context, {
        id: 'run-1',
        template: 'contract_summary',
        config: {},
        datasetName: 'd.csv',
        datasetFingerprint: 'f'.repeat(64),
        rowCount: 1,
        totalCells: 1,
        now: at(0).toISOString(),
      });
      const ttlMs = 30_000;
      const first = await acquireEvalRunLease(context, 'run-1', { owner: 'a:1:x', now: at(0), ttlMs });
      expect(first).toMatchObject({
        status: 'running',
        leaseOwner: 'a:1:x',
        leaseExpiresAt: at(30).toISOString(),
      });

      // Two resumes of the same run, at the same moment: exactly one gets it.
      const racing = await Promise.all([
        acquireEvalRunLease(context, 'run-1', { owner: 'b:2:y', now: at(5), ttlMs }),
        acquireEvalRunLease(context, 'run-1', { owner: 'c:3:z', now: at(5), ttlMs }),
      ]);
      expect(racing).toEqual([null, null]);
      expect(await renewEvalRunLease(context, 'run-1', { owner: 'a:1:x', now: at(20), ttlMs })).toBe(true);
      expect(await acquireEvalRunLease(context, 'run-1', { owner: 'b:2:y', now: at(40), ttlMs })).toBeNull();

      // The holder stops renewing (kill -9): after its lease it reads as interrupted.
      await updateEvalRun(context, 'run-1', { status: 'running', now: at(20).toISOString() });
      const row = await context.db
        .withTables<{ eval_runs: { id: string; lease_expires_at: string } }>()
        .selectFrom('eval_runs')
        .select('lease_expires_at')
        .where('id', '=', 'run-1')
        .executeTakeFirstOrThrow();
      expect(new Date(row.lease_expires_at).toISOString()).toBe(at(50).toISOString());
      // (Read with today's clock, long after the lease's 2025 end.)
      expect(await getEvalRun(context, 'run-1')).toMatchObject({ status: 'interrupted', leaseOwner: null });
      expect((await listEvalRuns(context, {})).items[0]?.status).toBe('interrupted');

      const raced = await Promise.all([
        acquireEvalRunLease(context, 'run-1', { owner: 'b:2:y', now: at(51), ttlMs }),
        acquireEvalRunLease(context, 'run-1', { owner: 'c:3:z', now: at(51), ttlMs }),
      ]);
      expect(raced.filter((run) => run !== null)).toHaveLength(1);
      const winner = raced.find((run) => run !== null)!.leaseOwner!;
      const loser = winner === 'b:2:y' ? 'c:3:z' : 'b:2:y';
      // The old holder wakes up: it no longer holds the run and cannot write its end.
      expect(await renewEvalRunLease(context, 'run-1', { owner: 'a:1:x', now: at(52), ttlMs })).toBe(false);
      expect(
        await updateEvalRun(context, 'run-1', {
          status: 'stopped',
          releaseLeaseOf: 'a:1:x',
          now: at(52).toISOString(),
        }),
      ).toBeNull();
      // A holder known to be dead can be replaced before its lease runs out.
      expect(
        await acquireEvalRunLease(context, 'run-1', {
          owner: loser,
          now: at(53),
          ttlMs,
          takeOverFrom: winner,
        }),
      ).toMatchObject({ leaseOwner: loser });
      const finished = await updateEvalRun(context, 'run-1', {
        status: 'completed',
        finishedAt: at(60).toISOString(),
        releaseLeaseOf: loser,
        now: at(60).toISOString(),
      });
      expect(finished).toMatchObject({ status: 'completed', leaseOwner: null, leaseExpiresAt: null });
    } finally {
      await store.close();
    }
  });
});
