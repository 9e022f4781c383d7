import type { Selectable } from 'kysely';
import type { EvalRunsTable } from './eval-tables.ts';
import { iso } from './eval-tables.ts';

/**
 * Where a run is. `stopped` runs (budget reached, Ctrl-C) can be resumed. `interrupted` is never
 * stored: it is how a `running` run reads once its lease has expired, i.e. the process that ran
 * it died without saying so (`kill -9`, a lost machine); it can be resumed too.
 */
export type EvalRunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

/**
 * A run as the store keeps it. `config` is the run's configuration as `@reins/evals` wrote it
 * (dataset, prompt versions, models, scorers…); `error` says why it stopped or failed.
 */
export type EvalRunRecord = {
  id: string;
  name: string | null;
  status: EvalRunStatus;
  template: string;
  config: unknown;
  datasetName: string;
  datasetFingerprint: string;
  rowCount: number;
  /** Dataset rows × models × prompt versions. */
  totalCells: number;
  owner: string | null;
  taskId: string | null;
  error: unknown;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** The process running it (`host:pid:random`) while its lease lasts, else `null`. */
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
};

/**
 * A row as read back (PostgreSQL returns Dates and numeric strings; SQLite text and numbers).
 * A `running` run whose lease expired before `now` reads as `interrupted`.
 */
export function rowToEvalRun(row: Selectable<EvalRunsTable>, now: Date = new Date()): EvalRunRecord {
  const leaseExpiresAt = row.lease_expires_at === null ? null : iso(row.lease_expires_at);
  const expired = leaseExpiresAt !== null && Date.parse(leaseExpiresAt) < now.getTime();
  return {
    id: row.id,
    name: row.name,
    status: row.status === 'running' && expired ? 'interrupted' : (row.status as EvalRunStatus),
    template: row.template,
    config: JSON.parse(row.config_json),
    datasetName: row.dataset_name,
    datasetFingerprint: row.dataset_fingerprint,
    rowCount: Number(row.row_count),
    totalCells: Number(row.total_cells),
    owner: row.owner,
    taskId: row.task_id,
    error: row.error_json === null ? null : JSON.parse(row.error_json),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
    leaseOwner: expired ? null : row.lease_owner,
    leaseExpiresAt: expired ? null : leaseExpiresAt,
  };
}
