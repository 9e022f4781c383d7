import type { StoreContext } from '../schema.ts';
import { type EvalRunRecord, type EvalRunStatus, rowToEvalRun } from './eval-run-record.ts';
import { evalsDb } from './eval-tables.ts';

/** What a new run needs; it starts `running` (or `queued` when a task will run it). */
export type NewEvalRun = {
  id: string;
  name?: string | null;
  status?: EvalRunStatus;
  template: string;
  config: unknown;
  datasetName: string;
  datasetFingerprint: string;
  rowCount: number;
  totalCells: number;
  owner?: string | null;
  taskId?: string | null;
  /** ISO-8601 creation time (the caller's clock). */
  now: string;
};

/**
 * Inserts a run and returns it as stored.
 *
 * @example
 * await insertEvalRun({ db: store.db, dialect: store.dialect }, { id, template: 'contract_summary', config,
 *   datasetName: 'contract_summary.csv', datasetFingerprint, rowCount: 22, totalCells: 44, now: new Date().toISOString() });
 */
export async function insertEvalRun(context: StoreContext, run: NewEvalRun): Promise<EvalRunRecord> {
  const row = await evalsDb(context)
    .insertInto('eval_runs')
    .values({
      id: run.id,
      name: run.name ?? null,
      status: run.status ?? 'running',
      template: run.template,
      config_json: JSON.stringify(run.config),
      dataset_name: run.datasetName,
      dataset_fingerprint: run.datasetFingerprint,
      row_count: run.rowCount,
      total_cells: run.totalCells,
      owner: run.owner ?? null,
      task_id: run.taskId ?? null,
      error_json: null,
      created_at: run.now,
      updated_at: run.now,
      finished_at: null,
      lease_owner: null,
      lease_expires_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToEvalRun(row);
}
