import type { CallRecord, CallSink } from '@reins/client';
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import type { Pool } from 'pg';
import { type AggregateGroup, aggregateCalls, type CallAggregate } from './calls/aggregate-calls.ts';
import { type CallFilter, resolveCallFilter } from './calls/call-filter.ts';
import type { CallDetail } from './calls/call-log-entry.ts';
import { type CallRowValues, recordToRowValues } from './calls/call-row.ts';
import { deleteOlderThan } from './calls/delete-older-than.ts';
import { exportJsonl } from './calls/export-jsonl.ts';
import { getCall } from './calls/get-call.ts';
import { createCallInserter } from './calls/insert-calls.ts';
import { type CallPage, listCalls } from './calls/list-calls.ts';
import { maskPassword } from './errors.ts';
import { createTextGuard } from './guard.ts';
import { type StoreLogger, stderrLogger } from './logger.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database, StoreContext, StoreDialect } from './schema.ts';
import { NodeSqliteDialect, type NodeSqliteDialectOptions } from './sqlite/node-sqlite-dialect.ts';
import { DEFAULT_STORE_URL, parseStoreUrl, type StoreLocation } from './store-url.ts';
import { BatchWriter, type BatchWriterOptions, type WriterStats } from './writer/batch-writer.ts';

export type OpenStoreOptions = {
  /** `sqlite:./data/reins.db` (default), `sqlite::memory:` or `postgres://…[?schema=name]`. */
  url?: string;
  /** Extra strings to redact from everything written, besides API-key patterns and the env keys. */
  secrets?: string[];
  /** Tuning and bound of the call-log writer (see `BatchWriterOptions`). */
  writer?: BatchWriterOptions;
  /** pino or anything with `warn`/`error(details, message)`; default: JSON lines on stderr. */
  logger?: StoreLogger;
  /** Where `OPENAI_API_KEY`/`ANTHROPIC_API_KEY` are read for redaction (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** The clock for relative filters (`since: '1h'`) and records without a start time. */
  now?: () => Date;
  /** PostgreSQL connections in the pool (default 4). */
  poolSize?: number;
  /** SQLite connection options: `thread` (`worker` by default), `synchronous`, `busyTimeoutMs`. */
  sqlite?: Omit<NodeSqliteDialectOptions, 'path'>;
};

export type CallQueries = {
  /** A page of attempts, newest first; `nextCursor` fetches the next one. */
  list(filter?: CallFilter): Promise<CallPage>;
  /** An attempt by id, or a call by `callId`, with all its attempts. */
  get(id: string): Promise<CallDetail | null>;
  /** Cost, token and call totals by day, model, user or template. */
  aggregate(
    options: { groupBy: AggregateGroup } & Omit<CallFilter, 'cursor' | 'limit'>,
  ): Promise<CallAggregate[]>;
  /** Retention: deletes attempts that started before `date`; resolves to how many. */
  deleteOlderThan(date: Date): Promise<number>;
  /** Streams matching attempts as JSON lines; resolves to how many. */
  exportJsonl(
    filter: Omit<CallFilter, 'limit'> & { limit?: number },
    writable: NodeJS.WritableStream,
  ): Promise<number>;
};

export type Store = {
  readonly dialect: StoreDialect;
  /** The Kysely instance, for the issues that add their own tables through migrations. */
  readonly db: Kysely<Database>;
  /** A `CallSink` for `createClient({ sinks: [store.sink()] })`; all sinks share one writer. */
  sink(): CallSink;
  readonly calls: CallQueries;
  readonly writer: {
    stats(): WriterStats;
    /** Resolves once the writer's queue has room (for producers that would rather wait than drop). */
    waitForCapacity(): Promise<void>;
  };
  /** Waits until every record written so far is committed (see `BatchWriter.flush`). */
  flush(): Promise<void>;
  /** Flushes, then closes the database. Safe to call twice. */
  close(): Promise<void>;
};

async function createDatabase(
  location: StoreLocation,
  options: OpenStoreOptions,
  logger: StoreLogger,
): Promise<{
  db: Kysely<Database>;
  ready?: (db: Kysely<Database>) => Promise<void>;
  executeStandalone?: (query: CompiledQuery) => Promise<unknown>;
}> {
  if (location.dialect === 'sqlite') {
    const dialect = new NodeSqliteDialect({ ...options.sqlite, path: location.path });
    return {
      db: new Kysely<Database>({ dialect }),
      executeStandalone: (query) => dialect.executeStandalone(query),
    };
  }
  const { schema } = location;
  // Loaded here, not at the top: a SQLite store (the default, and every `reins eval run` on it)
  // never pays for pg's modules in memory or start-up time.
  const { default: pg } = await import('pg');
  const pool: Pool = new pg.Pool({
    connectionString: location.connectionString,
    max: options.poolSize ?? 4,
    // An unreachable server fails the open (and a writer attempt) instead of hanging it.
    connectionTimeoutMillis: 10_000,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection emits on the pool; unhandled, that would end the process.
  pool.on('error', (error) =>
    logger.error({ err: { type: error.name, message: error.message } }, 'postgres pool error'),
  );
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
    ready:
      schema === undefined
        ? undefined
        : async (db) => {
            try {
              await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
            } catch (error) {
              // Concurrent `create schema if not exists` can still collide in PostgreSQL's catalog.
              const found =
                await sql`select 1 from information_schema.schemata where schema_name = ${schema}`.execute(
                  db,
                );
              if (found.rows.length === 0) throw error;
            }
          },
  };
}

/**
 * Opens the store: connects, applies pending migrations, and starts the call-log writer.
 *
 * @example
 * const store = await openStore({ url: 'sqlite:./data/reins.db' });
 * const client = createClient({ sinks: [store.sink()] });
 * // …
 * const { items } = await store.calls.list({ since: '1h', search: 'refund' });
 * await store.close();
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const url = options.url ?? DEFAULT_STORE_URL;
  const location = parseStoreUrl(url);
  const logger = options.logger ?? stderrLogger;
  const now = options.now ?? (() => new Date());
  const { db, ready, executeStandalone } = await createDatabase(location, options, logger);
  const context: StoreContext = { db, dialect: location.dialect };
  try {
    await ready?.(db);
    await migrateToLatest(context);
  } catch (error) {
    await db.destroy().catch(() => {});
    if (error instanceof Error) error.message = `cannot open store ${maskPassword(url)}: ${error.message}`;
    throw error;
  }

  const guard = createTextGuard(options.secrets ?? [], options.env ?? process.env);
  // Readers clean the prompt text they flatten from the stored request with the same guard.
  const reading = { ...context, guard };
  const writer = new BatchWriter<CallRecord, CallRowValues>(options.writer ?? {}, {
    // The sanitizing pass (`guardCallParameters`) runs inside `insert`: in the SQLite worker thread by default.
    prepare: (record) => recordToRowValues(record, now),
    insert: createCallInserter(context, guard, executeStandalone !== undefined ? { executeStandalone } : {}),
    logger,
  });
  const sink: CallSink = {
    write: (record) => {
      writer.write(record);
    },
    flush: () => writer.flush(),
  };

  let closing: Promise<void> | undefined;
  return {
    dialect: location.dialect,
    db,
    sink: () => sink,
    calls: {
      // async, so a bad filter rejects like every other failure instead of throwing.
      list: async (filter) => listCalls(reading, resolveCallFilter(filter, now())),
      get: async (id) => getCall(reading, id),
      aggregate: async ({ groupBy, ...filter }) =>
        aggregateCalls(context, groupBy, resolveCallFilter(filter, now())),
      deleteOlderThan: async (date) => deleteOlderThan(context, date),
      exportJsonl: async ({ limit, ...filter }, writable) =>
        exportJsonl(
          reading,
          { ...resolveCallFilter(filter, now()), ...(limit !== undefined ? { limit } : {}) },
          writable,
        ),
    },
    writer: { stats: () => writer.stats(), waitForCapacity: () => writer.waitForCapacity() },
    flush: () => writer.flush(),
    close: () => {
      closing ??= writer.close().finally(() => db.destroy());
      return closing;
    },
  };
}

/** The store URL the `reins` commands use: `DATABASE_URL` when set, else the SQLite default. */
export function storeUrlFromEnv(env: Record<string, string | undefined> = process.env): string {
  const url = env['DATABASE_URL'];
  return url !== undefined && url !== '' ? url : DEFAULT_STORE_URL;
}
