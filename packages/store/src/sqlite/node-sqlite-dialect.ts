import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { callRowGuardOf, guardCallParameters } from '../calls/call-row-guard.ts';
import { SqliteExecutor, type SqliteOpenOptions, type SqliteResult } from './sqlite-executor.ts';
import type { WorkerRequest, WorkerResponse } from './sqlite-worker.ts';

/*
 * Why this dialect is hand-written: Kysely 0.29 ships one SQLite dialect, written against
 * better-sqlite3's API (`statement.reader`, `all(parametersArray)`), and better-sqlite3 is a native
 * addon built for one Node version, which the blueprint rules out. `node:sqlite` (`DatabaseSync`)
 * takes spread parameters, has no `reader` flag and rejects booleans, so it needs its own driver.
 * Writing it also lets us (1) run the connection in a worker thread, because `DatabaseSync` is
 * synchronous and a batch insert or a text search would otherwise stall the event loop,
 * (2) start write transactions with `BEGIN IMMEDIATE`, so two processes on one file queue on the
 * lock instead of failing with SQLITE_BUSY on upgrade, (3) cache prepared statements, which the
 * batched writer reuses for every batch, and (4) declare transactional DDL, which SQLite has, so
 * migrations run in one transaction.
 */

export type NodeSqliteDialectOptions = Omit<SqliteOpenOptions, 'autoCheckpointBytes'> & {
  /**
   * `thread` (default for files): a second thread checkpoints the WAL on a timer, so the writer
   * rarely waits for a checkpoint's copy and fsync (see sqlite-checkpointer.mjs). `auto`: SQLite's
   * own checkpoint, run by the commit that takes the WAL past 1000 pages.
   */
  checkpoint?: 'thread' | 'auto';
  /**
   * `worker` (default): the connection lives in a worker thread and every query is a message, so
   * the event loop never waits on SQLite. `main`: queries run synchronously on the calling thread
   * (lower latency per query, but each one blocks the event loop while it runs).
   */
  thread?: 'worker' | 'main';
};

type SqliteConnection = DatabaseConnection & {
  /** Runs a statement that commits on its own, outside any transaction open on the connection. */
  executeStandalone<R>(query: CompiledQuery): Promise<QueryResult<R>>;
  close(): Promise<void>;
};

function toQueryResult<R>(result: SqliteResult): QueryResult<R> {
  return result as QueryResult<R>;
}

async function* chunks<R>(rows: R[], chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
  for (let start = 0; start < rows.length; start += chunkSize)
    yield { rows: rows.slice(start, start + chunkSize) };
}

class InThreadConnection implements SqliteConnection {
  readonly #executor: SqliteExecutor;
  /** Standalone statements that came while a transaction was open, oldest first. */
  readonly #deferred: Array<() => void> = [];

  constructor(options: SqliteOpenOptions) {
    this.#executor = new SqliteExecutor(options);
  }

  #execute<R>(query: CompiledQuery): QueryResult<R> {
    const guard = callRowGuardOf(query);
    if (guard === undefined) return toQueryResult(this.#executor.execute(query.sql, query.parameters));
    const parameters = query.parameters.slice();
    guardCallParameters(parameters, guard);
    return toQueryResult(this.#executor.execute(query.sql, parameters, true));
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return this.#execute(query);
    } finally {
      while (this.#deferred.length > 0 && !this.#executor.inTransaction) this.#deferred.shift()!();
    }
  }

  executeStandalone<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.#executor.inTransaction) return this.executeQuery(query);
    return new Promise((resolve, reject) => {
      this.#deferred.push(() => {
        try {
          resolve(this.#execute(query));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query);
    yield* chunks(rows, chunkSize);
  }

  async close(): Promise<void> {
    this.#executor.close();
  }
}

class WorkerConnection implements SqliteConnection {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #nextId = 0;
  #exited: Error | undefined;

  constructor(options: SqliteOpenOptions) {
    this.#worker = new Worker(new URL('./sqlite-worker.ts', import.meta.url), { workerData: options });
    // The worker keeps the process alive only while a query is in flight, so a store that was
    // never closed does not hang the process on exit.
    this.#worker.unref();
    this.#worker.on('message', (response: WorkerResponse) => this.#settle(response));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`SQLite worker exited (code ${code})`)));
  }

  #settle(response: WorkerResponse): void {
    const pending = this.#pending.get(response.id);
    if (pending === undefined) return;
    this.#pending.delete(response.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if ('error' in response) {
      const { message, name, ...details } = response.error;
      pending.reject(Object.assign(new Error(message), { name }, details));
    } else {
      pending.resolve(response.result);
    }
  }

  #fail(error: Error): void {
    this.#exited ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #request(message: Omit<WorkerRequest, 'id'>): Promise<unknown> {
    if (this.#exited !== undefined) return Promise.reject(this.#exited);
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) this.#worker.ref();
      this.#worker.postMessage({ ...message, id });
    });
  }

  async #execute<R>(query: CompiledQuery, standalone: boolean): Promise<QueryResult<R>> {
    // Kysely freezes `parameters`, and a frozen array takes the structured-clone slow path (2-3x
    // the cost per batch); a plain copy is cheap. The call-log inserter hands over an unfrozen one.
    const parameters = Object.isFrozen(query.parameters) ? query.parameters.slice() : query.parameters;
    const callRowGuard = callRowGuardOf(query);
    return toQueryResult(
      (await this.#request({
        sql: query.sql,
        parameters: parameters as unknown[],
        ...(callRowGuard !== undefined ? { callRowGuard } : {}),
        ...(standalone ? { standalone } : {}),
      })) as SqliteResult,
    );
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#execute(query, false);
  }

  executeStandalone<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // The worker runs it after any transaction open on the connection (see sqlite-worker.ts).
    return this.#execute(query, true);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    // Whole result, then chunks: a cursor across the thread boundary is not worth it for our queries.
    const { rows } = await this.executeQuery<R>(query);
    yield* chunks(rows, chunkSize);
  }

  async close(): Promise<void> {
    if (this.#exited === undefined) {
      await this.#request({ close: true }).catch(() => {});
      await this.#worker.terminate();
    }
  }
}

const CHECKPOINT_INTERVAL_MS = 100;
/**
 * WAL size at which the writer finishes a checkpoint itself, so the WAL starts over: the same
 * bound as `journal_size_limit`, so the file stays at most this big.
 */
const WRITER_CHECKPOINT_BYTES = 64 * 1024 * 1024;

/** What sqlite-checkpointer.mjs takes as `workerData`. */
type CheckpointerOptions = { path: string; intervalMs: number };

/** Runs sqlite-checkpointer.mjs; if it dies, hands checkpointing back to SQLite. */
class Checkpointer {
  readonly #worker: Worker;
  #closing = false;

  constructor(path: string, onFailure: () => void) {
    const options: CheckpointerOptions = { path, intervalMs: CHECKPOINT_INTERVAL_MS };
    this.#worker = new Worker(new URL('./sqlite-checkpointer.mjs', import.meta.url), { workerData: options });
    // A timer thread must not keep the process alive.
    this.#worker.unref();
    this.#worker.on('error', () => {});
    this.#worker.on('exit', () => {
      if (!this.#closing) onFailure();
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    // Held open while it finishes its last checkpoint.
    this.#worker.ref();
    const exited = once(this.#worker, 'exit');
    this.#worker.postMessage('close');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(resolve, 5000);
    });
    await Promise.race([exited, timeout]);
    clearTimeout(timer);
    await this.#worker.terminate();
  }
}

class NodeSqliteDriver implements Driver {
  readonly #options: NodeSqliteDialectOptions;
  #connection: SqliteConnection | undefined;
  #checkpointer: Checkpointer | undefined;

  constructor(options: NodeSqliteDialectOptions) {
    this.#options = options;
  }

  async init(): Promise<void> {
    const { thread, checkpoint, ...options } = this.#options;
    const threaded = checkpoint !== 'auto' && options.path !== ':memory:';
    const open = { ...options, ...(threaded ? { autoCheckpointBytes: WRITER_CHECKPOINT_BYTES } : {}) };
    const connection = thread === 'main' ? new InThreadConnection(open) : new WorkerConnection(open);
    this.#connection = connection;
    // Surface a bad path or a locked file at open, not at the first query.
    await connection.executeQuery(CompiledQuery.raw('select 1'));
    if (threaded) {
      this.#checkpointer = new Checkpointer(options.path, () => {
        connection.executeQuery(CompiledQuery.raw('PRAGMA wal_autocheckpoint = 1000')).catch(() => {});
      });
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#connection === undefined) throw new Error('node:sqlite driver is not initialised');
    // One connection; Kysely serialises access to it because the adapter says so.
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async releaseConnection(): Promise<void> {}

  executeStandalone<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#connection === undefined)
      return Promise.reject(new Error('node:sqlite driver is not initialised'));
    return this.#connection.executeStandalone(query);
  }

  async destroy(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.close();
    // Last: its final checkpoint, as the last connection, folds the WAL into the file.
    await this.#checkpointer?.close();
    this.#checkpointer = undefined;
  }
}

/** SQLite has transactional DDL; Kysely's adapter says no only because better-sqlite3 users vary. */
class NodeSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * A Kysely dialect over Node's built-in `node:sqlite`, by default in a worker thread.
 *
 * @example
 * const db = new Kysely<Database>({ dialect: new NodeSqliteDialect({ path: './data/reins.db' }) });
 */
export class NodeSqliteDialect implements Dialect {
  readonly #options: NodeSqliteDialectOptions;
  #driver: NodeSqliteDriver | undefined;

  constructor(options: NodeSqliteDialectOptions) {
    this.#options = options;
  }

  createDriver(): Driver {
    this.#driver = new NodeSqliteDriver(this.#options);
    return this.#driver;
  }

  /**
   * Runs one statement that commits on its own (an autocommit INSERT) without waiting for
   * Kysely's lock on the single connection: several can be queued in the worker at once, so the
   * worker starts the next batch as soon as one commits instead of idling for a round trip to the
   * event loop (bench/store-writes.ts: the worker sat idle ~1.6 s of a 5 s run). It never joins a
   * transaction another caller has open: it waits for that transaction to end.
   */
  executeStandalone<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#driver === undefined) return Promise.reject(new Error('node:sqlite dialect has no driver yet'));
    return this.#driver.executeStandalone(query);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new NodeSqliteAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect interface takes Kysely<any>.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
