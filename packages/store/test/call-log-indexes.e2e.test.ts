import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { resolveCallFilter } from '../src/calls/call-filter.ts';
import { pageQuery } from '../src/calls/list-calls.ts';
import type { CallFilter, Store } from '../src/index.ts';
import { open } from './helpers/backends.ts';

/** SQLite's plan for a query: the `detail` lines of EXPLAIN QUERY PLAN, joined. */
async function plan(store: Store, query: CompiledQuery): Promise<string> {
  const explained = await store.db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
  );
  return explained.rows.map((row) => row.detail).join('; ');
}

const pagePlan = (store: Store, filter: CallFilter) =>
  plan(store, pageQuery(store, resolveCallFilter(filter), 50).compile());

// Every index of the call log costs write throughput (0007-call-log-indexes.ts says why each
// stays); these pin which one answers each lookup, so a schema change cannot silently turn one
// into a scan of the whole log.
describe('call-log indexes (SQLite plans)', () => {
  it('each indexed filter searches its index; the others walk created_at newest first', async () => {
    const store = await open('sqlite::memory:');
    expect(await pagePlan(store, {})).toMatch(/SCAN call_log USING INDEX call_log_created_at/);
    expect(await pagePlan(store, { since: '1h' })).toMatch(/SEARCH call_log USING INDEX call_log_created_at/);
    expect(await pagePlan(store, { traceId: 't' })).toMatch(/USING INDEX call_log_trace_id \(trace_id=\?\)/);
    expect(await pagePlan(store, { callId: 'c' })).toMatch(/USING INDEX call_log_call_id \(call_id=\?\)/);
    expect(await pagePlan(store, { taskId: 'k' })).toMatch(/USING INDEX call_log_task_id \(task_id=\?\)/);
    expect(await pagePlan(store, { evalRunId: 'e' })).toMatch(
      /USING INDEX call_log_eval_run_id \(eval_run_id=\?\)/,
    );
    expect(await pagePlan(store, { status: 'error' })).toMatch(/USING INDEX call_log_errors/);
    expect(await pagePlan(store, { status: 'error', since: '1d' })).toMatch(
      /USING INDEX call_log_errors \(created_at>\?\)/,
    );
    for (const filter of [{ template: 'legal' }, { model: 'openai/gpt-5.6-luna' }, { userId: 'alice' }]) {
      expect(await pagePlan(store, filter)).toMatch(/SCAN call_log USING INDEX call_log_created_at/);
    }
    await store.close();
  });

  it('get by attempt id uses the primary key, by call id the call index', async () => {
    const store = await open('sqlite::memory:');
    const byId = store.db.selectFrom('call_log').selectAll().where('id', '=', 'x').compile();
    expect(await plan(store, byId)).toMatch(/USING INDEX sqlite_autoindex_call_log_1 \(id=\?\)/);
    const byCall = store.db
      .selectFrom('call_log')
      .selectAll()
      .where('call_id', '=', 'x')
      .orderBy('attempt')
      .orderBy('created_at')
      .compile();
    expect(await plan(store, byCall)).toMatch(/USING INDEX call_log_call_id \(call_id=\?\)/);
    await store.close();
  });
});
