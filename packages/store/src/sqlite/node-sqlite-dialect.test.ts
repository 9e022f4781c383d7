import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { NodeSqliteDialect } from './node-sqlite-dialect.ts';

const folder = mkdtempSync(join(tmpdir(), 'reins-dialect-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let count = 0;
const freshPath = () => join(folder, `db-${++count}`, 'test.db');

type Tables = { item: { id: number; name: string; flag: number; at: string; data: string } };

describe.each(['worker', 'main'] as const)('NodeSqliteDialect, %s thread', (thread) => {
  it('runs queries and transactions, converting parameters SQLite cannot take', async () => {
    const db = new Kysely<Tables>({ dialect: new NodeSqliteDialect({ path: freshPath(), thread }) });
    await db.schema
      .createTable('item')
      .addColumn('id', 'integer', (column) => column.primaryKey())
      .addColumn('name', 'text')
      .addColumn('flag', 'integer')
      .addColumn('at', 'text')
      .addColumn('data', 'text')
      .execute();
    const inserted = await db
      .insertInto('item')
      .values({
        id: 1,
        name: 'a',
        flag: true as never,
        at: new Date('2025-01-01T00:00:00Z') as never,
        data: { x: 1 } as never,
      })
      .executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(1n);
    expect(await db.selectFrom('item').selectAll().execute()).toEqual([
      { id: 1, name: 'a', flag: 1, at: '2025-01-01T00:00:00.000Z', data: '{"x":1}' },
    ]);
    await expect(
      db.transaction().execute(async (transaction) => {
        await transaction
          .insertInto('item')
          .values({ id: 2, name: 'b', flag: 0, at: '', data: '' })
          .execute();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.selectFrom('item').select('id').execute()).toEqual([{ id: 1 }]);
    await db.destroy();
  });

  it('runs a standalone statement outside a transaction another caller has open', async () => {
    const dialect = new NodeSqliteDialect({ path: freshPath(), thread });
    const db = new Kysely<Tables>({ dialect });
    await sql`create table item (id integer primary key, name text, flag integer, at text, data text)`.execute(
      db,
    );
    const insert = (id: number) => CompiledQuery.raw(`insert into item (id, name) values (${id}, 'x')`);
    let standalone: Promise<unknown> | undefined;
    const order: string[] = [];
    await expect(
      db.transaction().execute(async (transaction) => {
        await transaction
          .insertInto('item')
          .values({ id: 1, name: 'in', flag: 0, at: '', data: '' })
          .execute();
        standalone = dialect.executeStandalone(insert(2)).then(() => order.push('standalone'));
        // Give a worker time to receive it: it must wait for this transaction, not join it.
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('rollback');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await standalone;
    expect(order).toEqual(['rollback', 'standalone']);
    expect(await db.selectFrom('item').select('id').execute()).toEqual([{ id: 2 }]);
    await db.destroy();
  });

  it('carries SQLite errors, with their codes, to the caller', async () => {
    const db = new Kysely<Tables>({ dialect: new NodeSqliteDialect({ path: ':memory:', thread }) });
    const error = await sql`select * from missing_table`.execute(db).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      message: expect.stringContaining('no such table'),
      code: 'ERR_SQLITE_ERROR',
      errcode: 1,
    });
    await db.destroy();
  });
});

describe('the checkpointer thread', () => {
  it('moves the WAL into the database file while the store is open, and leaves no WAL after close', async () => {
    const path = freshPath();
    const db = new Kysely<Tables>({ dialect: new NodeSqliteDialect({ path }) });
    await sql`create table blob (value text)`.execute(db);
    const big = 'x'.repeat(4000);
    for (let batch = 0; batch < 20; batch++) {
      await sql`insert into blob (value) select ${big} from (select 1 union all select 2 union all select 3 union all select 4 union all select 5)`.execute(
        db,
      );
    }
    // The writer checkpoints by itself only past 64 MB of WAL; only the checkpointer can grow the main file here.
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(20 * 5 * 4000), { timeout: 5000 });
    await db.destroy();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
