import type { StoreMigration } from './store-migration.ts';

/**
 * Who is running an eval run, and until when: a process takes the lease before it works on a
 * run and renews it while it does. A second `--resume` of the same run finds the lease held and
 * refuses; a run whose holder died (`kill -9`, a lost machine) keeps `status = 'running'` but
 * its lease expires, and readers show it as `interrupted`.
 */
export const evalRunLeaseMigration: StoreMigration = {
  name: '0005_eval_run_lease',
  async up(db, dialect) {
    const time = dialect === 'postgres' ? 'timestamptz' : 'text';
    await db.schema.alterTable('eval_runs').addColumn('lease_owner', 'text').execute();
    await db.schema.alterTable('eval_runs').addColumn('lease_expires_at', time).execute();
  },
  async down(db) {
    await db.schema.alterTable('eval_runs').dropColumn('lease_expires_at').execute();
    await db.schema.alterTable('eval_runs').dropColumn('lease_owner').execute();
  },
};
