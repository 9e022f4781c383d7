import type { CallRecord } from '@reins/client';
import { flattenPrompt } from '@reins/client/record';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { recordToRawRow } from '../src/calls/call-row.ts';
import {
  type Database,
  migrateToLatest,
  migrations,
  NodeSqliteDialect,
  parseStoreUrl,
} from '../src/index.ts';
import { backends, open } from './helpers/backends.ts';
import { makeRecord } from './helpers/make-record.ts';

/** A database at the schema before `0006_call_log_prompt_from_request`, the way an older release left it. */
async function openBeforePromptDrop(url: string): Promise<Kysely<Database>> {
  const location = parseStoreUrl(url);
  let db: Kysely<Database>;
  if (location.dialect === 'sqlite') {
    db = new Kysely<Database>({ dialect: new NodeSqliteDialect({ path: location.path }) });
  } else {
    const { schema } = location;
    if (schema !== undefined) {
      const admin = new pg.Client({ connectionString: location.connectionString });
      await admin.connect();
      await admin.query(`create schema if not exists "${schema}"`);
      await admin.end();
    }
    const pool = new pg.Pool({
      connectionString: location.connectionString,
      ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const index = migrations.findIndex((migration) => migration.name === '0006_call_log_prompt_from_request');
  await migrateToLatest({ db, dialect: location.dialect }, migrations.slice(0, index));
  return db;
}

const toolConversation: CallRecord['request'] = {
  system: 'Be brief.',
  messages: [
    { role: 'user', content: 'Weather in Oslo? Say "umbrella" if it rains.\nThanks' },
    {
      role: 'assistant',
      content: [{ type: 'tool-call', id: 'c1', name: 'weather', input: { city: 'Oslo' } }],
    },
    { role: 'tool', content: [{ type: 'tool-result', id: 'c1', output: 'rain at C:\\station\\7' }] },
  ],
  params: { maxTokens: 100 },
};

describe.each(backends())('the prompt is stored once, on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it('rows written before the migration keep their readable prompt and stay searchable', async () => {
    if (!backend.persistent) return;
    const url = backend.freshUrl();
    const old = await openBeforePromptDrop(url);
    const records = [
      makeRecord({ traceId: 'old-1' }),
      makeRecord({ traceId: 'old-2', request: toolConversation }),
    ];
    // What the previous release wrote: the row plus the flattened prompt in its own column.
    const rows = records.map((record) => ({
      ...recordToRawRow(record),
      prompt_text: flattenPrompt(record.request.system, record.request.messages),
    }));
    // biome-ignore lint/suspicious/noExplicitAny: the table as it was, with the dropped column.
    await (old as Kysely<any>).insertInto('call_log').values(rows).execute();
    await old.destroy();

    const store = await open(url);
    const columns = (await sql<Record<string, unknown>>`select * from call_log`.execute(store.db)).rows;
    expect(columns).toHaveLength(2);
    for (const row of columns) expect(row).not.toHaveProperty('prompt_text');
    for (const [index, record] of records.entries()) {
      expect((await store.calls.get(record.id))?.promptText).toBe(rows[index]!.prompt_text);
    }
    const found = async (search: string) =>
      (await store.calls.list({ search })).items.map((item) => item.traceId).sort();
    expect(await found('careful legal')).toEqual(['old-1']);
    expect(await found('say "umbrella"')).toEqual(['old-2']);
    // A new row is written without the column and read back the same way.
    store.sink().write(makeRecord({ traceId: 'new-1', request: toolConversation }));
    await store.flush();
    expect(await found('say "umbrella"')).toEqual(['new-1', 'old-2']);
    await store.close();
  });

  it('search matches strings inside the request, not the JSON around them', async () => {
    const store = await open(backend.freshUrl());
    const records = [
      makeRecord({ traceId: 'plain' }),
      makeRecord({ traceId: 'tools', request: toolConversation }),
      makeRecord({
        traceId: 'content',
        request: { messages: [{ role: 'user', content: 'Which content policy applies?' }], params: {} },
      }),
    ];
    for (const record of records) store.sink().write(record);
    await store.flush();
    const found = async (search: string) =>
      (await store.calls.list({ search })).items.map((item) => item.traceId).sort();

    expect(await found('CAREFUL legal assistant')).toEqual(['plain']); // the system prompt
    expect(await found('termination clause')).toEqual(['plain']); // a message
    expect(await found('say "umbrella" if')).toEqual(['tools']); // quotes, escaped in the JSON text
    expect(await found('rains.\nthanks')).toEqual(['tools']); // a newline, escaped too
    expect(await found('C:\\station\\7')).toEqual(['tools']); // backslashes: a tool result
    expect(await found('weather')).toEqual(['tools']); // a tool call's name
    expect(await found('oslo')).toEqual(['tools']); // and its input
    // JSON keys and syntax of every request are not text anyone wrote.
    expect(await found('content')).toEqual(['content']);
    expect(await found('maxTokens')).toEqual([]);
    expect(await found('"role":')).toEqual([]);
    expect(await found('messages')).toEqual([]);
    // Across two strings is not a substring of either.
    expect(await found('Be brief.Weather')).toEqual([]);
    await store.close();
  });
});
