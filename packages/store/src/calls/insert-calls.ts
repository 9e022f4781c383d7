import { CompiledQuery } from 'kysely';
import type { StoreContext } from '../schema.ts';
import { CALL_LOG_COLUMNS, type NewCallLogRow } from './call-row.ts';

/** Rows per INSERT statement: SQLite's cached statements stay few; PostgreSQL saves round trips. */
const ROWS_PER_STATEMENT = { sqlite: 32, postgres: 500 } as const;

/**
 * Returns a function that inserts rows in one transaction with multi-row INSERTs. The SQL comes
 * from Kysely (so it follows the schema and the dialect) but is compiled once per row count and
 * reused: compiling a 500-row insert per batch would cost more than executing it. Rows whose id
 * is already stored are skipped (`ON CONFLICT DO NOTHING`), which makes a re-sent record harmless.
 *
 * @example
 * const insert = createCallInserter({ db, dialect: 'sqlite' });
 * await insert([row1, row2]);
 */
export function createCallInserter(
  { db, dialect }: StoreContext,
  rowsPerStatement: number = ROWS_PER_STATEMENT[dialect],
): (rows: readonly NewCallLogRow[]) => Promise<void> {
  const statements = new Map<number, string>();

  function statementFor(rowCount: number): string {
    const cached = statements.get(rowCount);
    if (cached !== undefined) return cached;
    const placeholder = Object.fromEntries(
      CALL_LOG_COLUMNS.map((column) => [column, 0]),
    ) as unknown as NewCallLogRow;
    const compiled = db
      .insertInto('call_log')
      .values(Array.from({ length: rowCount }, () => placeholder))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .compile();
    if (compiled.parameters.length !== rowCount * CALL_LOG_COLUMNS.length) {
      throw new Error(`compiled call_log insert has ${compiled.parameters.length} parameters, expected more`);
    }
    statements.set(rowCount, compiled.sql);
    return compiled.sql;
  }

  return async (rows) => {
    if (rows.length === 0) return;
    await db.transaction().execute(async (transaction) => {
      for (let start = 0; start < rows.length; start += rowsPerStatement) {
        const chunk = rows.slice(start, start + rowsPerStatement);
        const parameters: unknown[] = [];
        for (const row of chunk) {
          for (const column of CALL_LOG_COLUMNS) parameters.push(row[column] ?? null);
        }
        await transaction.executeQuery(CompiledQuery.raw(statementFor(chunk.length), parameters));
      }
    });
  };
}
