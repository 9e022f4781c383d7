import { type RawBuilder, sql } from 'kysely';
import type { StoreContext, StoreDialect } from '../schema.ts';
import { filterConditions, type ResolvedCallFilter } from './call-filter.ts';

export type AggregateGroup = 'day' | 'model' | 'user' | 'template';

/** Sums for one group. `key` is null for rows without a user or template. */
export type CallAggregate = {
  /** `YYYY-MM-DD` (UTC), `provider/model`, the user id, or `template@version`. */
  key: string | null;
  /** Distinct calls (`callId`s). */
  calls: number;
  attempts: number;
  errors: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** Sum over priced attempts; `unpricedAttempts` says how many had no known price. */
  costUsd: number;
  unpricedAttempts: number;
};

function groupKey(groupBy: AggregateGroup, dialect: StoreDialect): RawBuilder<string | null> {
  switch (groupBy) {
    case 'day':
      return dialect === 'postgres'
        ? sql`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`
        : sql`substr(created_at, 1, 10)`;
    case 'model':
      return sql`provider || '/' || model`;
    case 'user':
      return sql`user_id`;
    case 'template':
      return sql`template_name || coalesce('@' || template_version, '')`;
  }
}

/**
 * Cost, token and call totals grouped by day, model, user or template, over the attempts that
 * match the filter. Days ascend; other groups come most expensive first.
 *
 * @example
 * await aggregateCalls({ db, dialect }, 'model', { since: '2025-01-01T00:00:00.000Z' })
 */
export async function aggregateCalls(
  { db, dialect }: StoreContext,
  groupBy: AggregateGroup,
  filter: ResolvedCallFilter,
): Promise<CallAggregate[]> {
  const key = groupKey(groupBy, dialect);
  const rows = await db
    .selectFrom('call_log')
    .where((eb) => eb.and(filterConditions(eb, filter, dialect)))
    .select([
      key.as('key'),
      sql<number>`count(distinct call_id)`.as('calls'),
      sql<number>`count(*)`.as('attempts'),
      sql<number>`sum(case when status = 'error' then 1 else 0 end)`.as('errors'),
      sql<number>`sum(input_tokens)`.as('input_tokens'),
      sql<number>`sum(cached_input_tokens)`.as('cached_input_tokens'),
      sql<number>`sum(cache_write_tokens)`.as('cache_write_tokens'),
      sql<number>`sum(output_tokens)`.as('output_tokens'),
      sql<number>`sum(reasoning_tokens)`.as('reasoning_tokens'),
      sql<number | null>`sum(cost_usd)`.as('cost_usd'),
      sql<number>`sum(case when cost_usd is null then 1 else 0 end)`.as('unpriced'),
    ])
    .groupBy(key)
    .orderBy(groupBy === 'day' ? sql`1` : sql`sum(cost_usd) is null, sum(cost_usd) desc, 1`)
    .execute();
  // PostgreSQL returns bigint sums and counts as strings.
  return rows.map((row) => ({
    key: row.key,
    calls: Number(row.calls),
    attempts: Number(row.attempts),
    errors: Number(row.errors),
    inputTokens: Number(row.input_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    outputTokens: Number(row.output_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    costUsd: Number(row.cost_usd ?? 0),
    unpricedAttempts: Number(row.unpriced),
  }));
}
