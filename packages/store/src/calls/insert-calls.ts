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
 * comes from Kysely (so it follows the schema and the dialect) but is compiled once per row count
 * and reused: compiling a 256-row insert per batch would cost more than executing it. Rows whose
 * id is already stored are skipped (`ON CONFLICT DO NOTHING`), so a re-sent record is harmless.
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

  function statement(rows: readonly CallRowValues[]): CompiledQuery {
    // Always a new list: the guard changes it in place, and a retried batch must start again from
    // the raw rows.
    // One allocation of the final size, and a packed array (structured clone copies it densely):
    // pushing value by value regrew the list ~20 times per batch, ~0.9 KB of garbage per record.
    const parameters = ([] as CallRowValues[number][]).concat(...rows);
    // PostgreSQL: the same pass the SQLite worker runs, here, before the parameters are sent.
    if (dialect !== 'sqlite') guardCallParameters(parameters, guardSpec);
    // Not `CompiledQuery.raw(sql, parameters)`: it freezes the parameter list, and a frozen array of
    // thousands of values takes V8's slow paths (copying it for the worker and cloning it across
    // cost ~4 µs more per record on each thread, measured in bench/store-writes.ts).
    const query: CompiledQuery = { ...CompiledQuery.raw(statementFor(rows.length)), parameters };
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
