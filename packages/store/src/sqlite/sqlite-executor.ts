import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

export type SqliteOpenOptions = {
  /** A file path or `:memory:`. The parent folder of a file is created. */
  path: string;
  /** How long a writer waits for another connection's lock before SQLITE_BUSY (default 5000). */
  busyTimeoutMs?: number;
  /** `NORMAL` (default) survives a process crash; `FULL` also survives power loss. */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * WAL size at which this connection checkpoints by itself after a commit (SQLite's
   * `wal_autocheckpoint`, in bytes here). Default: SQLite's 1000 pages. With a checkpointer thread
   * it is set high: the thread copies the pages, and the writer only finishes the rest so the WAL
   * starts over (see sqlite-checkpointer.mjs).
   */
  autoCheckpointBytes?: number;
};

/** What one statement produced, in a shape that crosses a worker boundary unchanged. */
export type SqliteResult =
  | { rows: Record<string, unknown>[] }
  | { rows: []; numAffectedRows: bigint; insertId: bigint };

const STATEMENT_CACHE_SIZE = 64;

function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return JSON.stringify(value);
  return value as SQLInputValue;
}

/**
 * One synchronous `node:sqlite` connection with a cache of prepared statements. Used directly
 * (in-thread mode) or inside the SQLite worker; either way it is the only code that touches
 * `DatabaseSync`.
 */
export class SqliteExecutor {
  readonly #database: DatabaseSync;
  readonly #statements = new Map<string, { statement: StatementSync; reader: boolean }>();

  constructor(options: SqliteOpenOptions) {
    const inMemory = options.path === ':memory:';
    if (!inMemory) mkdirSync(dirname(options.path), { recursive: true });
    this.#database = new DatabaseSync(options.path);
    this.#database.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    if (!inMemory) {
      this.#database.exec('PRAGMA journal_mode = WAL');
      // Keep the WAL file from staying at its high-water mark once it has been reset.
      this.#database.exec('PRAGMA journal_size_limit = 67108864');
      if (options.autoCheckpointBytes !== undefined) {
        const { page_size: pageSize } = this.#database.prepare('PRAGMA page_size').get() as {
          page_size: number;
        };
        const pages = Math.max(1, Math.ceil(options.autoCheckpointBytes / Number(pageSize)));
        this.#database.exec(`PRAGMA wal_autocheckpoint = ${pages}`);
      }
    }
    this.#database.exec(`PRAGMA synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    this.#database.exec('PRAGMA foreign_keys = ON');
  }

  #prepare(sql: string): { statement: StatementSync; reader: boolean } {
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

  /**
   * Runs one statement. `owned`: the caller hands `parameters` over (the worker's copy of a
   * message), so they are converted in place instead of into a new list of thousands of values.
   */
  execute(sql: string, parameters: readonly unknown[], owned = false): SqliteResult {
    const { statement, reader } = this.#prepare(sql);
    let values: SQLInputValue[];
    if (owned) {
      const list = parameters as unknown[];
      for (let index = 0; index < list.length; index++) list[index] = toSqliteValue(list[index]);
      values = list as SQLInputValue[];
    } else {
      values = parameters.map(toSqliteValue);
    }
    if (reader) return { rows: statement.all(...values) as Record<string, unknown>[] };
    const { changes, lastInsertRowid } = statement.run(...values);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  /** True between a BEGIN and its COMMIT or ROLLBACK. */
  get inTransaction(): boolean {
    return this.#database.isOpen && this.#database.isTransaction;
  }

  close(): void {
    this.#statements.clear();
    if (this.#database.isOpen) this.#database.close();
  }
}
