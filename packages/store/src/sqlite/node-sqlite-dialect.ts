import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
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

/*
 * Why this file is hand-written: Kysely 0.29 ships one SQLite dialect, written against
 * better-sqlite3's API (`statement.reader`, `all(parametersArray)`), and better-sqlite3 is a native
 * addon built for one Node version, which the blueprint rules out. `node:sqlite` (`DatabaseSync`)
 * takes spread parameters, has no `reader` flag and rejects booleans, so it needs its own small
 * driver. Writing it also lets us (1) start write transactions with `BEGIN IMMEDIATE`, so two
 * processes on one file queue on the lock instead of failing with SQLITE_BUSY on upgrade,
 * (2) cache prepared statements, which the batched writer reuses for every batch, and
 * (3) declare transactional DDL, which SQLite has, so migrations run in one transaction.
 */

export type NodeSqliteDialectOptions = {
  /** A file path or `:memory:`. The parent folder of a file is created. */
  path: string;
  /** How long a writer waits for another process's lock before SQLITE_BUSY (default 5000). */
  busyTimeoutMs?: number;
  /** `NORMAL` (default) survives a process crash; `FULL` also survives power loss. */
  synchronous?: 'NORMAL' | 'FULL';
};

const STATEMENT_CACHE_SIZE = 64;

type CachedStatement = { statement: StatementSync; reader: boolean };

function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return JSON.stringify(value);
  return value as SQLInputValue;
}

class NodeSqliteConnection implements DatabaseConnection {
  readonly #database: DatabaseSync;
  readonly #statements = new Map<string, CachedStatement>();

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  #prepare(sql: string): CachedStatement {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      // Re-insert to keep the map in least-recently-used order.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#database.prepare(sql);
    const entry = { statement, reader: statement.columns().length > 0 };
    this.#statements.set(sql, entry);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#statements.keys().next().value;
      if (oldest !== undefined) this.#statements.delete(oldest);
    }
    return entry;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { statement, reader } = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters.map(toSqliteValue);
    if (reader) return { rows: statement.all(...parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize = 100,
  ): AsyncIterableIterator<QueryResult<R>> {
    const { statement } = this.#prepare(compiledQuery.sql);
    let chunk: R[] = [];
    for (const row of statement.iterate(...compiledQuery.parameters.map(toSqliteValue))) {
      chunk.push(row as R);
      if (chunk.length >= chunkSize) {
        yield { rows: chunk };
        chunk = [];
      }
    }
    if (chunk.length > 0) yield { rows: chunk };
  }

  close(): void {
    this.#statements.clear();
    this.#database.close();
  }
}

class NodeSqliteDriver implements Driver {
  readonly #options: NodeSqliteDialectOptions;
  #connection: NodeSqliteConnection | undefined;

  constructor(options: NodeSqliteDialectOptions) {
    this.#options = options;
  }

  async init(): Promise<void> {
    const { path } = this.#options;
    const inMemory = path === ':memory:';
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    const database = new DatabaseSync(path);
    database.exec(`PRAGMA busy_timeout = ${Math.trunc(this.#options.busyTimeoutMs ?? 5000)}`);
    if (!inMemory) database.exec('PRAGMA journal_mode = WAL');
    database.exec(`PRAGMA synchronous = ${this.#options.synchronous ?? 'NORMAL'}`);
    database.exec('PRAGMA foreign_keys = ON');
    this.#connection = new NodeSqliteConnection(database);
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

  async destroy(): Promise<void> {
    this.#connection?.close();
    this.#connection = undefined;
  }
}

/** SQLite has transactional DDL; Kysely's adapter says no only because better-sqlite3 users vary. */
class NodeSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * A Kysely dialect over Node's built-in `node:sqlite`.
 *
 * @example
 * const db = new Kysely<Database>({ dialect: new NodeSqliteDialect({ path: './data/reins.db' }) });
 */
export class NodeSqliteDialect implements Dialect {
  readonly #options: NodeSqliteDialectOptions;

  constructor(options: NodeSqliteDialectOptions) {
    this.#options = options;
  }

  createDriver(): Driver {
    return new NodeSqliteDriver(this.#options);
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
