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
import { createTextGuard } from '../guard.ts';
import type { Database, StoreDialect } from '../schema.ts';
import { CALL_LOG_COLUMNS, type NewCallLogRow } from './call-row.ts';
import { createCallInserter, rowsSqlOf } from './insert-calls.ts';

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
      expect(sent.map((query) => query.sql)).toEqual(counts.map((count) => kyselyInsert(db, count)));
      expect(sent.map((query) => query.parameters.length)).toEqual(
        counts.map((count) => count * CALL_LOG_COLUMNS.length),
      );
      expect(sent[1]!.parameters).toEqual(CALL_LOG_COLUMNS.map((column) => `${column}-0`));
    });
  }
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
