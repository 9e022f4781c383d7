/**
 * The SQLite worker: owns one `node:sqlite` connection and runs the statements the main thread
 * sends, one message at a time, so disk waits and long scans never block the main event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type CallRowGuardSpec, guardCallParameters } from '../calls/call-row-guard.ts';
import { SqliteExecutor, type SqliteOpenOptions } from './sqlite-executor.ts';

export type QueryRequest = {
  id: number;
  sql: string;
  parameters: unknown[];
  callRowGuard?: CallRowGuardSpec;
  /**
   * A statement that must commit on its own: sent without Kysely's connection lock (see
   * `NodeSqliteDialect.executeStandalone`), so it may arrive while a transaction that another
   * caller opened is waiting for its next statement. It then waits here until that one ends.
   */
  standalone?: boolean;
};

export type WorkerRequest = QueryRequest | { id: number; close: true };

export type WorkerResponse =
  | { id: number; result: unknown }
  | {
      id: number;
      error: { message: string; name: string; code?: unknown; errcode?: unknown; errstr?: unknown };
    };

const port = parentPort;
if (port === null) throw new Error('sqlite-worker.ts must run in a worker thread');

let executor: SqliteExecutor | undefined;
let openError: unknown;
try {
  executor = new SqliteExecutor(workerData as SqliteOpenOptions);
} catch (error) {
  openError = error;
}

function describe(error: unknown): Extract<WorkerResponse, { error: unknown }>['error'] {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error' };
  const { code, errcode, errstr } = error as Error & Record<string, unknown>;
  return { message: error.message, name: error.name, code, errcode, errstr };
}

function run(request: QueryRequest): void {
  try {
    if (executor === undefined) throw openError;
    // The call log's sanitizing pass, here rather than on the main thread (see call-row-guard.ts).
    if (request.callRowGuard !== undefined) guardCallParameters(request.parameters, request.callRowGuard);
    port?.postMessage({
      id: request.id,
      result: executor.execute(request.sql, request.parameters, true),
    } satisfies WorkerResponse);
  } catch (error) {
    port?.postMessage({ id: request.id, error: describe(error) } satisfies WorkerResponse);
  }
}

/** Standalone statements that arrived inside another caller's transaction, oldest first. */
const deferred: QueryRequest[] = [];

port.on('message', (request: WorkerRequest) => {
  if ('close' in request) {
    for (const waiting of deferred.splice(0)) {
      port.postMessage({
        id: waiting.id,
        error: { message: 'SQLite connection closed inside a transaction', name: 'Error' },
      } satisfies WorkerResponse);
    }
    executor?.close();
    port.postMessage({ id: request.id, result: null } satisfies WorkerResponse);
    port.close();
    return;
  }
  if (request.standalone === true && executor?.inTransaction === true) {
    deferred.push(request);
    return;
  }
  run(request);
  while (deferred.length > 0 && executor?.inTransaction !== true) run(deferred.shift()!);
});
