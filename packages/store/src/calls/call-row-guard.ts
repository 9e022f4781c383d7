import type { CompiledQuery } from 'kysely';
import { createTextGuard, type TextGuard } from '../guard.ts';
import { CALL_LOG_COLUMNS, guardRowExactly, isCleanRawRow, type NewCallLogRow } from './call-row.ts';

/** What another thread needs to build the same guard: the resolved secrets (env keys included). */
export type CallRowGuardSpec = { secrets: readonly string[] };

const marked = new WeakMap<CompiledQuery, CallRowGuardSpec>();
const guards = new Map<string, TextGuard>();
const REQUEST_JSON = CALL_LOG_COLUMNS.indexOf('request_json');
const TOOL_CALLS_JSON = CALL_LOG_COLUMNS.indexOf('tool_calls_json');

/**
 * Marks a call-log INSERT whose parameters are raw rows (`recordToRawRow`, in `CALL_LOG_COLUMNS`
 * order): the SQLite connection runs `guardCallParameters` over each row right before executing it, in the
 * thread that executes it (the worker by default), so the sanitizing pass costs the event loop
 * nothing and nothing is written that skipped it. Kysely hands the same query object to the driver.
 */
export function markCallRowGuard(query: CompiledQuery, spec: CallRowGuardSpec): CompiledQuery {
  marked.set(query, spec);
  return query;
}

export function callRowGuardOf(query: CompiledQuery): CallRowGuardSpec | undefined {
  return marked.get(query);
}

/** Runs the store's check (`guardRowExactly` behind `isCleanRawRow`) over every row of a flat parameter list, in place. */
export function guardCallParameters(parameters: unknown[], spec: CallRowGuardSpec): void {
  const key = spec.secrets.join('\u0000');
  let guard = guards.get(key);
  if (guard === undefined) {
    // The secrets already include the env keys' values; an empty env adds nothing twice.
    guard = createTextGuard(spec.secrets, {});
    if (guards.size > 16) guards.clear();
    guards.set(key, guard);
  }
  const width = CALL_LOG_COLUMNS.length;
  if (parameters.length % width !== 0) throw new Error('call-log parameters are not whole rows');
  for (let start = 0; start < parameters.length; start += width) {
    // The combined check straight off the parameters; a row object only when it fails.
    const texts: string[] = [];
    for (let index = start; index < start + width; index++) {
      const value = parameters[index];
      if (typeof value === 'string') texts.push(value);
    }
    const requestJson = String(parameters[start + REQUEST_JSON]);
    const toolCallsJson = parameters[start + TOOL_CALLS_JSON];
    if (isCleanRawRow(texts, requestJson, typeof toolCallsJson === 'string' ? toolCallsJson : null, guard))
      continue;
    const row: Record<string, unknown> = {};
    for (let column = 0; column < width; column++)
      row[CALL_LOG_COLUMNS[column]!] = parameters[start + column];
    const guarded = guardRowExactly(row as NewCallLogRow, guard) as Record<string, unknown>;
    for (let column = 0; column < width; column++)
      parameters[start + column] = guarded[CALL_LOG_COLUMNS[column]!] ?? null;
  }
}
