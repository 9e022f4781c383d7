// The client's: one UUIDv7 implementation (pooled random bits, ordered within a millisecond).
export { uuidv7 } from '@reins/client';
export type { AggregateGroup, CallAggregate } from './calls/aggregate-calls.ts';
export { type CallFilter, callFilterSchema } from './calls/call-filter.ts';
export type { CallDetail, CallLogEntry } from './calls/call-log-entry.ts';
export type { CallPage } from './calls/list-calls.ts';
export {
  CallFilterError,
  CallLogWriteError,
  StoreError,
  StoreMigrationError,
  StoreUrlError,
} from './errors.ts';
export * from './evals/index.ts';
export { SECRET_ENV_KEYS } from './guard.ts';
export type { StoreLogger } from './logger.ts';
export { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, migrateToLatest } from './migrate.ts';
export { migrations } from './migrations/index.ts';
export type { StoreMigration } from './migrations/store-migration.ts';
export {
  type CallQueries,
  type OpenStoreOptions,
  openStore,
  type Store,
  storeUrlFromEnv,
} from './open-store.ts';
export type { CallLogTable, Database, StoreContext, StoreDialect } from './schema.ts';
export { NodeSqliteDialect, type NodeSqliteDialectOptions } from './sqlite/node-sqlite-dialect.ts';
export { DEFAULT_STORE_URL, parseStoreUrl, type StoreLocation } from './store-url.ts';
export * from './tasks/index.ts';
export { parseTimeBound } from './time-bound.ts';
export type { BatchWriterOptions, OverflowPolicy, WriterStats } from './writer/batch-writer.ts';
