import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../test/helpers/make-record.ts';
import { createTextGuard } from '../guard.ts';
import { openStore } from '../open-store.ts';
import type { Database, StoreDialect } from '../schema.ts';
import { CALL_LOG_COLUMNS, type NewCallLogRow, recordToRowValues } from './call-row.ts';
import { createCallInserter, rowsSqlOf, sqliteRowCount } from './insert-calls.ts';

function kyselyFor(dialect: StoreDialect): Kysely<Database> {
  const [Adapter, Introspector, Compiler] =
    dialect === 'sqlite'
      ? [SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler]
      : [PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler];
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new Adapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new Introspector(db),
      createQueryCompiler: () => new Compiler(),
    },
  });
}

/** What Kysely itself compiles for `rowCount` rows: the statement the inserter must send. */
function kyselyInsert(db: Kysely<Database>, rowCount: number): string {
  const row = Object.fromEntries(CALL_LOG_COLUMNS.map((column) => [column, 0])) as unknown as NewCallLogRow;
  return db
    .insertInto('call_log')
    .values(Array.from({ length: rowCount }, () => row))
    .onConflict((conflict) => conflict.column('id').doNothing())
    .compile().sql;
}

describe('createCallInserter', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`sends, for every row count, the statement Kysely compiles (${dialect})`, async () => {
      const db = kyselyFor(dialect);
      const sent: CompiledQuery[] = [];
      const insert = createCallInserter({ db, dialect }, createTextGuard([], {}), {
        executeStandalone: async (query) => {
          sent.push(query);
        },
      });
      const counts = [3, 1, 2, 7, 64, 255, 256, 7];
      for (const count of counts) {
        const rows = Array.from({ length: count }, (_, index) =>
          CALL_LOG_COLUMNS.map((column) => `${column}-${index}`),
        );
        await insert(rows);
      }
      // SQLite statements carry a rounded-up row count, the extra rows copies of the last one.
      const carried = counts.map((count) => (dialect === 'sqlite' ? sqliteRowCount(count, 1023) : count));
      expect(carried).toEqual(dialect === 'sqlite' ? [3, 1, 2, 7, 64, 256, 256, 7] : counts);
      expect(sent.map((query) => query.sql)).toEqual(carried.map((count) => kyselyInsert(db, count)));
      expect(sent.map((query) => query.parameters.length)).toEqual(
        carried.map((count) => count * CALL_LOG_COLUMNS.length),
      );
      expect(sent[1]!.parameters).toEqual(CALL_LOG_COLUMNS.map((column) => `${column}-0`));
      const rowsOf = (query: CompiledQuery) =>
        Array.from({ length: query.parameters.length / CALL_LOG_COLUMNS.length }, (_, index) =>
          query.parameters.slice(index * CALL_LOG_COLUMNS.length, (index + 1) * CALL_LOG_COLUMNS.length),
        );
      const rows255 = rowsOf(sent[5]!);
      expect(rows255.slice(0, 255).map((row) => row[0])).toEqual(
        Array.from({ length: 255 }, (_, index) => `id-${index}`),
      );
      expect(rows255.slice(255)).toEqual(dialect === 'sqlite' ? [rows255[254]] : []);
    });
  }

  it('stores each row of a padded SQLite batch once, and nothing else', async () => {
    const store = await openStore({ url: 'sqlite::memory:', logger: { warn() {}, error() {} }, env: {} });
    try {
      const records = Array.from({ length: 17 }, (_, index) => makeRecord({ traceId: `trace-${index}` }));
      const insert = createCallInserter({ db: store.db, dialect: 'sqlite' }, createTextGuard([], {}));
      await insert(records.map((record) => recordToRowValues(record)));
      const stored = await store.db
        .selectFrom('call_log')
        .select(['id', 'trace_id'])
        .orderBy('trace_id')
        .execute();
      expect(stored).toHaveLength(17);
      expect(new Set(stored.map((row) => row.id))).toEqual(new Set(records.map((record) => record.id)));
    } finally {
      await store.close();
    }
  });
});

describe('sqliteRowCount', () => {
  it('keeps counts up to 16 and rounds larger ones up to a quarter of their power of two', () => {
    const counts = [1, 16, 17, 20, 21, 32, 33, 40, 64, 65, 129, 200, 224, 225, 256, 257, 1000];
    expect(counts.map((count) => sqliteRowCount(count, 1023))).toEqual([
      1, 16, 20, 20, 24, 32, 40, 40, 64, 80, 160, 224, 224, 256, 256, 320, 1023,
    ]);
    expect(sqliteRowCount(200, 210)).toBe(210);
    expect(sqliteRowCount(200, 150)).toBe(200);
  });

  it('needs 32 statements for every batch up to 256 rows, and never adds more than a quarter', () => {
    const sizes = Array.from({ length: 256 }, (_, index) => sqliteRowCount(index + 1, 1023));
    expect(new Set(sizes).size).toBe(32);
    expect(sizes.every((size, index) => size >= index + 1 && size <= (index + 1) * 1.25)).toBe(true);
  });
});

describe('rowsSqlOf', () => {
  it('repeats the row of placeholders, renumbering numbered parameters per row', () => {
    const rows = rowsSqlOf(
      'insert into "t" ("a", "b") values ($1, $2) on conflict ("a") do nothing',
      'insert into "t" ("a", "b") values ($1, $2), ($3, $4) on conflict ("a") do nothing',
      2,
    );
    expect(rows?.(3)).toBe(
      'insert into "t" ("a", "b") values ($1, $2), ($3, $4), ($5, $6) on conflict ("a") do nothing',
    );
  });

  it('is null when the two-row statement is not the one-row statement repeated', () => {
    const oneRow = 'insert into "t" ("a") values (?)';
    expect(rowsSqlOf(oneRow, 'insert into "t" ("a") values (?), (?)', 1)).not.toBeNull();
    expect(rowsSqlOf(oneRow, 'insert into "t" ("a") values (?),(?)', 1)).toBeNull();
    expect(rowsSqlOf(oneRow, 'insert into "t" ("a") select ? union all select ?', 1)).toBeNull();
    expect(rowsSqlOf('insert into "t" default values', 'insert into "t" default values', 1)).toBeNull();
  });
});
