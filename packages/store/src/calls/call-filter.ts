import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { CallFilterError } from '../errors.ts';
import type { Database, StoreDialect } from '../schema.ts';
import { parseTimeBound } from '../time-bound.ts';

const text = z.string().trim().min(1);
const timeBound = z.union([z.date(), text]);

/**
 * What `store.calls.list`, `aggregate` and `exportJsonl` filter on. Every field is optional and
 * they combine with AND. `since`/`until` take a Date, an ISO string or a duration back from now
 * (`1h`, `7d`); `search` matches a substring of the prompt, the response or its tool calls
 * (case-insensitive); `model` is `model` or `provider/model`; `template` is `name` or `name@version`.
 */
export const callFilterSchema = z.object({
  traceId: text.optional(),
  callId: text.optional(),
  taskId: text.optional(),
  userId: text.optional(),
  evalRunId: text.optional(),
  provider: text.optional(),
  model: text.optional(),
  template: text.optional(),
  status: z.enum(['ok', 'error']).optional(),
  tag: text.optional(),
  since: timeBound.optional(),
  until: timeBound.optional(),
  search: text.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: text.optional(),
});

/** `limit` is coerced from text at runtime (query strings, CLI flags) but typed as a number. */
export type CallFilter = Omit<z.input<typeof callFilterSchema>, 'limit'> & { limit?: number };

/** A validated filter with times resolved. */
export type ResolvedCallFilter = Omit<z.output<typeof callFilterSchema>, 'since' | 'until'> & {
  since?: string;
  until?: string;
};

/**
 * Validates a filter at the boundary; throws `CallFilterError` naming the bad field.
 *
 * @example
 * resolveCallFilter({ since: '1h', model: 'openai/gpt-5.6-luna' }, new Date())
 */
export function resolveCallFilter(filter: CallFilter = {}, now: Date = new Date()): ResolvedCallFilter {
  const parsed = callFilterSchema.safeParse(filter);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CallFilterError(String(issue?.path[0] ?? 'filter'), issue?.message ?? 'invalid');
  }
  const { since, until, ...rest } = parsed.data;
  const resolved: ResolvedCallFilter = rest;
  for (const [field, value] of [
    ['since', since],
    ['until', until],
  ] as const) {
    if (value === undefined) continue;
    const time = parseTimeBound(value, now);
    if (time === undefined) {
      throw new CallFilterError(field, `'${String(value)}' is neither a duration like 1h/7d nor an ISO date`);
    }
    resolved[field] = time.toISOString();
  }
  return resolved;
}

/** Escapes LIKE wildcards so a search for `50%` means the characters `50%`. */
function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** A request whose JSON text PostgreSQL's jsonb refuses: a NUL or a lone surrogate escape. */
const JSONB_UNSAFE = '\\\\u(0000|[dD][89a-fA-F])';

/**
 * `search`: a substring of the response text, its tool calls, or any string inside the request
 * (the system prompt, each message and part, tool names and inputs, tool results). The readable
 * prompt is not stored (migration 0006), so the request's JSON text is searched in two steps: a
 * plain LIKE over the text, which every match must pass (JSON escapes each character on its own,
 * so a string holding the search holds its escaped form), narrows the rows; then only the
 * request's string values are matched, so a search for `content` or `role` does not find every
 * row through the JSON keys.
 */
function searchCondition(search: string, dialect: StoreDialect): Expression<SqlBool> {
  const like = dialect === 'postgres' ? sql.raw('ilike') : sql.raw('like');
  const pattern = likePattern(search);
  const escapedPattern = likePattern(JSON.stringify(search).slice(1, -1));
  const request = sql.ref('call_log.request_json');
  const inText =
    escapedPattern === pattern
      ? sql<SqlBool>`${request} ${like} ${pattern} escape '\\'`
      : sql<SqlBool>`(${request} ${like} ${pattern} escape '\\' or ${request} ${like} ${escapedPattern} escape '\\')`;
  const inStrings =
    dialect === 'postgres'
      ? // jsonb cannot hold NUL or a lone surrogate: such a rare request is matched on its text alone.
        sql<SqlBool>`case when ${request} ~ ${JSONB_UNSAFE} then true else exists (select 1 from jsonb_path_query(cast(${request} as jsonb), 'strict $.**') as found(value) where jsonb_typeof(found.value) = 'string' and found.value #>> '{}' ilike ${pattern} escape '\\') end`
      : sql<SqlBool>`case when json_valid(${request}) then exists (select 1 from json_tree(${request}) as found where found.type = 'text' and found.value like ${pattern} escape '\\') else 1 end`;
  return sql<SqlBool>`(${sql.ref('response_text')} ${like} ${pattern} escape '\\' or ${sql.ref('tool_calls_json')} ${like} ${pattern} escape '\\' or (${inText} and ${inStrings}))`;
}

/**
 * The WHERE conditions of a filter (cursor and limit excluded: pagination applies them).
 * Text search is `LIKE` on SQLite (case-insensitive for ASCII) and `ILIKE` on PostgreSQL: a scan,
 * narrowed by the other filters' indexes; see docs/store.md for why not full-text search.
 */
export function filterConditions(
  eb: ExpressionBuilder<Database, 'call_log'>,
  filter: ResolvedCallFilter,
  dialect: StoreDialect,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.traceId !== undefined) conditions.push(eb('trace_id', '=', filter.traceId));
  if (filter.callId !== undefined) conditions.push(eb('call_id', '=', filter.callId));
  if (filter.taskId !== undefined) conditions.push(eb('task_id', '=', filter.taskId));
  if (filter.userId !== undefined) conditions.push(eb('user_id', '=', filter.userId));
  if (filter.evalRunId !== undefined) conditions.push(eb('eval_run_id', '=', filter.evalRunId));
  if (filter.provider !== undefined) conditions.push(eb('provider', '=', filter.provider));
  // A literal, not a parameter: the partial index on errors only matches `status = 'error'` as written.
  if (filter.status !== undefined) conditions.push(eb('status', '=', sql.lit(filter.status)));
  if (filter.since !== undefined) conditions.push(eb('created_at', '>=', filter.since));
  if (filter.until !== undefined) conditions.push(eb('created_at', '<', filter.until));
  if (filter.model !== undefined) {
    const slash = filter.model.indexOf('/');
    const byName = eb('model', '=', filter.model);
    conditions.push(
      slash <= 0
        ? byName
        : eb.or([
            byName,
            eb.and([
              eb('provider', '=', filter.model.slice(0, slash)),
              eb('model', '=', filter.model.slice(slash + 1)),
            ]),
          ]),
    );
  }
  if (filter.template !== undefined) {
    const at = filter.template.lastIndexOf('@');
    conditions.push(
      at <= 0
        ? eb('template_name', '=', filter.template)
        : eb.and([
            eb('template_name', '=', filter.template.slice(0, at)),
            eb('template_version', '=', filter.template.slice(at + 1)),
          ]),
    );
  }
  if (filter.tag !== undefined) {
    conditions.push(
      sql<SqlBool>`${sql.ref('tags')} like ${likePattern(JSON.stringify(filter.tag))} escape '\\'`,
    );
  }
  if (filter.search !== undefined) conditions.push(searchCondition(filter.search, dialect));
  return conditions;
}
