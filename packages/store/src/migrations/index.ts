import { callLogMigration } from './0001-call-log.ts';
import { tasksMigration } from './0002-tasks.ts';
import { evalRunsMigration } from './0003-eval-runs.ts';
import { taskClaimOrderMigration } from './0004-task-claim-order.ts';
import { evalRunLeaseMigration } from './0005-eval-run-lease.ts';
import { callLogPromptFromRequestMigration } from './0006-call-log-prompt-from-request.ts';
import { callLogIndexesMigration } from './0007-call-log-indexes.ts';
import type { StoreMigration } from './store-migration.ts';

/**
 * Every migration, oldest first. To change the schema: add `NNNN-what.ts` exporting a
 * `StoreMigration` named `NNNN_what`, append it here, and extend the `Database` type in
 * `../schema.ts`. `openStore` applies pending ones on open, in one transaction per run, on both
 * dialects (see docs/store.md, "Adding a table").
 */
export const migrations: readonly StoreMigration[] = [
  callLogMigration,
  tasksMigration,
  evalRunsMigration,
  taskClaimOrderMigration,
  evalRunLeaseMigration,
  callLogPromptFromRequestMigration,
  callLogIndexesMigration,
];
