import { CompiledQuery } from 'kysely';
import type { TextGuard } from '../guard.ts';
import type { StoreContext } from '../schema.ts';
import { CALL_LOG_COLUMNS, type CallRowValues, type NewCallLogRow } from './call-row.ts';
import { guardCallParameters, markCallRowGuard } from './call-row-guard.ts';

/** Bound parameters one statement may carry: SQLite's default limit, and the wire protocol's. */
const MAX_PARAMETERS = { sqlite: 32_766, postgres: 65_535 } as const;

/**
 * Returns a function that inserts rows all or nothing. A batch that fits in one statement
 * (992 rows on SQLite, 1985 on PostgreSQL) is one multi-row INSERT, atomic by itself and one round
 * trip (to the SQLite worker or the server); a larger one is several inside a transaction. The SQL
 * comes from Kysely (so it follows the schema and the dialect): its one-row statement, repeated
 * per row (`rowsSqlOf`), once per row count and reused, since compiling a 256-row insert per batch
 * would cost more than executing it. Rows whose id is already stored are skipped
 * (`ON CONFLICT DO NOTHING`), so a re-sent record is harmless.
 *
 * On SQLite a batch is sent as the statement of `sqliteRowCount` rows, filled up with copies of
 * its last row that the conflict clause skips, so the worker keeps a few dozen statements prepared.
 *
 * The rows are raw (`recordToRowValues`); every one passes `guardCallParameters` before the database
 * sees it. On SQLite that happens in the connection's thread (the worker by default), off the event loop; on
 * PostgreSQL here, before the parameters are sent.
 *
 * @example
 * const insert = createCallInserter({ db, dialect: 'sqlite' }, createTextGuard());
 * await insert([recordToRowValues(record)]);
 */
export function createCallInserter(
  { db, dialect }: StoreContext,
  guard: TextGuard,
  options: {
    /** Rows per INSERT (default: as many as the bound-parameter limit allows). */
    rowsPerStatement?: number;
    /**
     * Runs a single-statement batch outside the connection lock (`NodeSqliteDialect.executeStandalone`),
     * so batches in flight queue in the SQLite worker instead of waiting for each other's round trip.
     */
    executeStandalone?: (query: CompiledQuery) => Promise<unknown>;
  } = {},
): (rows: readonly CallRowValues[]) => Promise<void> {
  const rowsPerStatement =
    options.rowsPerStatement ?? Math.floor(MAX_PARAMETERS[dialect] / CALL_LOG_COLUMNS.length);
  const execute = options.executeStandalone ?? ((query: CompiledQuery) => db.executeQuery(query));
  const guardSpec = { secrets: guard.secrets };
  const statements = new Map<number, string>();
  let rowsSql: RowsSql | null | undefined;

  function compileFor(rowCount: number): string {
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
    return compiled.sql;
  }

  function statementFor(rowCount: number): string {
    const cached = statements.get(rowCount);
    if (cached !== undefined) return cached;
    rowsSql ??= rowsSqlOf(compileFor(1), compileFor(2), CALL_LOG_COLUMNS.length);
    const sql = rowsSql === null ? compileFor(rowCount) : rowsSql(rowCount);
    statements.set(rowCount, sql);
    return sql;
  }

  function statement(rows: readonly CallRowValues[]): CompiledQuery {
    // Always a new list: the guard changes it in place, and a retried batch must start again from
    // the raw rows.
    // One allocation of the final size, and a packed array (structured clone copies it densely):
    // pushing value by value regrew the list ~20 times per batch, ~0.9 KB of garbage per record.
    const rowCount = dialect === 'sqlite' ? sqliteRowCount(rows.length, rowsPerStatement) : rows.length;
    const sent = rowCount === rows.length ? rows : padRows(rows, rowCount);
    const parameters = ([] as CallRowValues[number][]).concat(...sent);
    // PostgreSQL: the same pass the SQLite worker runs, here, before the parameters are sent.
    if (dialect !== 'sqlite') guardCallParameters(parameters, guardSpec);
    // Not `CompiledQuery.raw(sql, parameters)`: it freezes the parameter list, and a frozen array of
    // thousands of values takes V8's slow paths (copying it for the worker and cloning it across
    // cost ~4 µs more per record on each thread, measured in bench/store-writes.ts).
    const query: CompiledQuery = { ...CompiledQuery.raw(statementFor(rowCount)), parameters };
    return dialect === 'sqlite' ? markCallRowGuard(query, guardSpec) : query;
  }

  return async (rows) => {
    if (rows.length === 0) return;
    if (rows.length <= rowsPerStatement) {
      await execute(statement(rows));
      return;
    }
    await db.transaction().execute(async (transaction) => {
      for (let start = 0; start < rows.length; start += rowsPerStatement) {
        await transaction.executeQuery(statement(rows.slice(start, start + rowsPerStatement)));
      }
    });
  };
}

/**
 * The row count of the SQLite statement that carries `rowCount` rows: the count itself up to 16,
 * then rounded up to a quarter of its power of two (17 → 20, 33 → 40, 200 → 224), at most `max`.
 * SQLite prepares each distinct statement (~1 ms for 200 rows, in the worker thread), its cache
 * holds 64, and batches come in every size up to 256: nearly every batch was prepared anew. With
 * these sizes 32 statements cover batches up to 256 rows, and they stay prepared; the rows added
 * to fill one (at most a quarter, ~12% on average) are copies of the batch's last row, which
 * `ON CONFLICT DO NOTHING` skips since its id is already written by then.
 */
export function sqliteRowCount(rowCount: number, max: number): number {
  if (rowCount <= 16) return rowCount;
  const step = 2 ** (31 - Math.clz32(rowCount - 1)) / 4;
  return Math.max(rowCount, Math.min(max, Math.ceil(rowCount / step) * step));
}

function padRows(rows: readonly CallRowValues[], rowCount: number): CallRowValues[] {
  const padded = rows.slice();
  const last = rows[rows.length - 1]!;
  while (padded.length < rowCount) padded.push(last);
  return padded;
}

type RowsSql = (rowCount: number) => string;

const VALUES = ' values (';
const PARAMETER = /\$(\d+)/g;
const NUMBERED = /\$\d/;

/**
 * The INSERT for any row count, from Kysely's statements for one row and for two: the one-row
 * statement split around its row of placeholders, the row repeated with its numbered parameters
 * (`$1`, PostgreSQL) shifted per row. Kysely compiling an n-row insert costs ~10 µs a row on the
 * event loop (its value parser and visitors), and batches come in every size up to `maxBatch`, so
 * a fresh process compiled a new 200-row statement every few batches for its first hundred
 * thousand records. Null when the two statements are not of the shape this expects (then every
 * size is compiled by Kysely); the two-row statement is the check.
 */
export function rowsSqlOf(oneRow: string, twoRows: string, columns: number): RowsSql | null {
  const start = oneRow.indexOf(VALUES);
  if (start === -1) return null;
  const end = oneRow.indexOf(')', start + VALUES.length);
  if (end === -1) return null;
  const head = oneRow.slice(0, start + VALUES.length - 1);
  const row = oneRow.slice(start + VALUES.length - 1, end + 1);
  const tail = oneRow.slice(end + 1);
  const build: RowsSql = NUMBERED.test(row)
    ? (rowCount) => {
        const rows = new Array<string>(rowCount);
        for (let index = 0; index < rowCount; index++) {
          rows[index] = row.replace(PARAMETER, (_match, n: string) => `$${Number(n) + index * columns}`);
        }
        return `${head}${rows.join(', ')}${tail}`;
      }
    : (rowCount) => `${head}${`${row}, `.repeat(rowCount - 1)}${row}${tail}`;
  return build(1) === oneRow && build(2) === twoRows ? build : null;
}
