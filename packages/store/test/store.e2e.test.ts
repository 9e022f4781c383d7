import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { CallLogWriteError, MIGRATION_TABLE, migrateToLatest, migrations, type Store } from '../src/index.ts';
import { backends, open, sqlitePath } from './helpers/backends.ts';
import { makeRecord } from './helpers/make-record.ts';

const T0 = Date.parse('2025-06-01T12:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const NOW = () => new Date(T0 + 24 * 60 * 60_000);

const PNG = Buffer.alloc(6000, 3).toString('base64');
const OPENAI_KEY = 'sk-proj-StoreTestOpenAIKey0123456789abcdef';
const ANTHROPIC_KEY = 'sk-ant-api03-StoreTestAnthropicKey0123456789';
const CUSTOM_KEY = 'customer-webhook-secret-42';

async function rawRows(store: Store): Promise<Record<string, unknown>[]> {
  return (await sql<Record<string, unknown>>`select * from call_log`.execute(store.db)).rows;
}

describe.each(backends())('store on $name', (backend) => {
  afterAll(() => backend.cleanup());

  async function fresh(options: Parameters<typeof open>[1] = {}): Promise<Store> {
    return open(backend.freshUrl(), { now: NOW, ...options });
  }

  it('writes a record and reads it back whole, by attempt id and by call id', async () => {
    const store = await fresh();
    const record = makeRecord({
      traceId: 'trace-1',
      startedAt: at(0),
      metadata: {
        userId: 'alice',
        taskId: 'task-1',
        evalRunId: 'eval-1',
        tags: ['demo', 'legal'],
        template: { name: 'contract_summary', version: '1.2.0', hash: 'sha256:abc', gitCommit: 'deadbee' },
      },
      request: {
        system: 'Be brief.',
        messages: [
          { role: 'user', content: 'Weather in Oslo?' },
          {
            role: 'assistant',
            content: [{ type: 'tool-call', id: 'c1', name: 'weather', input: { city: 'Oslo' } }],
          },
          { role: 'tool', content: [{ type: 'tool-result', id: 'c1', output: 'rain' }] },
        ],
        params: { maxTokens: 100 },
      },
      response: {
        text: 'It rains.',
        toolCalls: [{ id: 'c2', name: 'umbrella', input: { open: true } }],
        finishReason: 'tool-calls',
      },
      usage: {
        inputTokens: 50,
        cachedInputTokens: 10,
        cacheWriteTokens: 5,
        outputTokens: 7,
        reasoningTokens: 3,
      },
      costUsd: 0.0012,
      latencyMs: 321.5,
      ttftMs: 99,
      simulated: true,
    });
    store.sink().write(record);
    await store.flush();

    const entry = await store.calls.get(record.id);
    expect(entry).toMatchObject({
      id: record.id,
      callId: record.callId,
      attempt: 1,
      traceId: 'trace-1',
      userId: 'alice',
      taskId: 'task-1',
      evalRunId: 'eval-1',
      provider: 'openai',
      model: 'gpt-5.6-luna',
      operation: 'generate',
      template: { name: 'contract_summary', version: '1.2.0', hash: 'sha256:abc', gitCommit: 'deadbee' },
      promptText:
        '[system] Be brief.\n\n[user] Weather in Oslo?\n\n[assistant] [tool-call weather #c1] {"city":"Oslo"}\n\n[tool] [tool-result #c1] rain',
      request: record.request,
      responseText: 'It rains.',
      toolCalls: [{ id: 'c2', name: 'umbrella', input: { open: true } }],
      finishReason: 'tool-calls',
      usage: record.usage,
      costUsd: 0.0012,
      latencyMs: 321.5,
      ttftMs: 99,
      status: 'ok',
      errorClass: null,
      errorMessage: null,
      tags: ['demo', 'legal'],
      simulated: true,
      createdAt: at(0),
    });
    expect(entry?.attempts.map((attempt) => attempt.id)).toEqual([record.id]);
    expect((await store.calls.get(record.callId))?.id).toBe(record.id);
    expect(await store.calls.get('no-such-id')).toBeNull();
    await store.close();
  });

  it('groups the attempts of a call: by call id the last attempt leads, by attempt id that one', async () => {
    const store = await fresh();
    const sink = store.sink();
    const first = makeRecord({
      callId: 'call-7',
      attempt: 1,
      startedAt: at(0),
      status: 'error',
      response: null,
      errorClass: 'RateLimitError',
      errorMessage: '429 slow down',
      costUsd: null,
    });
    const second = makeRecord({ callId: 'call-7', attempt: 2, startedAt: at(1) });
    sink.write(second);
    sink.write(first);
    await store.flush();
    const call = await store.calls.get('call-7');
    expect(call?.id).toBe(second.id);
    expect(call?.attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.errorClass])).toEqual([
      [1, 'error', 'RateLimitError'],
      [2, 'ok', null],
    ]);
    const attempt = await store.calls.get(first.id);
    expect(attempt).toMatchObject({
      id: first.id,
      responseText: null,
      costUsd: null,
      errorMessage: '429 slow down',
    });
    expect(attempt?.attempts).toHaveLength(2);
    await store.close();
  });

  it('filters by trace, call, task, user, eval run, model, provider, template, status, tag, time and text', async () => {
    const store = await fresh();
    const sink = store.sink();
    const records = [
      makeRecord({
        traceId: 't1',
        startedAt: at(0),
        metadata: {
          userId: 'alice',
          taskId: 'k1',
          tags: ['nightly'],
          template: { name: 'legal_analysis', version: '1.0.0' },
        },
        request: { messages: [{ role: 'user', content: 'Is the INDEMNITY clause mutual?' }], params: {} },
        response: { text: 'Yes, it is mutual.', toolCalls: [], finishReason: 'stop' },
      }),
      makeRecord({
        traceId: 't1',
        startedAt: at(10),
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        metadata: { userId: 'bob', evalRunId: 'e1', template: { name: 'legal_analysis', version: '2.0.0' } },
        request: { messages: [{ role: 'user', content: 'Price is 100% fixed?' }], params: {} },
        response: {
          text: 'No.',
          toolCalls: [{ id: 'x', name: 'lookup_price', input: { sku: 'ZX-81' } }],
          finishReason: 'tool-calls',
        },
      }),
      makeRecord({
        traceId: 't2',
        startedAt: at(20),
        status: 'error',
        errorClass: 'TimeoutError',
        response: null,
        metadata: { userId: 'alice', template: { name: 'patent_review' } },
        request: {
          messages: [{ role: 'user', content: 'Review claim 1 for 100 percent novelty.' }],
          params: {},
        },
      }),
      makeRecord({ traceId: 't3', startedAt: at(30), provider: 'local', model: 'llama-3.1-8b' }),
    ];
    for (const record of records) sink.write(record);
    await store.flush();
    const ids = async (filter: Parameters<Store['calls']['list']>[0]) =>
      (await store.calls.list(filter)).items.map((item) =>
        records.findIndex((record) => record.id === item.id),
      );

    expect(await ids({})).toEqual([3, 2, 1, 0]);
    expect(await ids({ traceId: 't1' })).toEqual([1, 0]);
    expect(await ids({ callId: records[2]!.callId })).toEqual([2]);
    expect(await ids({ taskId: 'k1' })).toEqual([0]);
    expect(await ids({ userId: 'alice' })).toEqual([2, 0]);
    expect(await ids({ evalRunId: 'e1' })).toEqual([1]);
    expect(await ids({ model: 'claude-haiku-4-5' })).toEqual([1]);
    expect(await ids({ model: 'anthropic/claude-haiku-4-5' })).toEqual([1]);
    expect(await ids({ model: 'local/llama-3.1-8b' })).toEqual([3]);
    expect(await ids({ model: 'openai/claude-haiku-4-5' })).toEqual([]);
    expect(await ids({ provider: 'openai' })).toEqual([2, 0]);
    expect(await ids({ template: 'legal_analysis' })).toEqual([1, 0]);
    expect(await ids({ template: 'legal_analysis@2.0.0' })).toEqual([1]);
    expect(await ids({ status: 'error' })).toEqual([2]);
    expect(await ids({ status: 'ok', userId: 'alice' })).toEqual([0]);
    expect(await ids({ tag: 'nightly' })).toEqual([0]);
    expect(await ids({ since: at(10), until: at(30) })).toEqual([2, 1]);
    expect(await ids({ since: '1h' })).toEqual([]);
    expect(await ids({ since: '2d' })).toEqual([3, 2, 1, 0]);
    // Text search: prompt, response and tool calls; case-insensitive; wildcards are literal.
    expect(await ids({ search: 'indemnity' })).toEqual([0]);
    expect(await ids({ search: 'MUTUAL' })).toEqual([0]);
    expect(await ids({ search: 'lookup_price' })).toEqual([1]);
    expect(await ids({ search: '100%' })).toEqual([1]);
    expect(await ids({ search: '100' })).toEqual([2, 1]);
    expect(await ids({ search: 'claim_1' })).toEqual([]);
    expect(await ids({ search: 'claim 1', userId: 'alice', since: at(15) })).toEqual([2]);
    await expect(store.calls.list({ since: 'last tuesday' })).rejects.toMatchObject({ field: 'since' });
    await store.close();
  });

  it('pages newest first with cursors, without gaps or repeats, ties broken by id', async () => {
    const store = await fresh();
    const sink = store.sink();
    const records = Array.from({ length: 25 }, (_, index) =>
      makeRecord({ startedAt: at(Math.floor(index / 2)) }),
    );
    for (const record of records) sink.write(record);
    await store.flush();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.calls.list({ limit: 10, ...(cursor !== undefined ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    const expected = [...records]
      .sort((a, b) =>
        a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1,
      )
      .map((record) => record.id);
    expect(seen).toEqual(expected);
    await expect(store.calls.list({ cursor: 'garbage' })).rejects.toMatchObject({ field: 'cursor' });
    await store.close();
  });

  it('aggregates cost, tokens and calls by day, model, user and template', async () => {
    const store = await fresh();
    const sink = store.sink();
    const usage = (inputTokens: number, outputTokens: number) => ({
      inputTokens,
      cachedInputTokens: 1,
      cacheWriteTokens: 2,
      outputTokens,
      reasoningTokens: 3,
    });
    const day1 = '2025-06-01T10:00:00.000Z';
    const day2 = '2025-06-02T23:59:59.000Z';
    sink.write(
      makeRecord({
        callId: 'a',
        attempt: 1,
        startedAt: day1,
        status: 'error',
        costUsd: null,
        usage: usage(10, 0),
        metadata: { userId: 'alice', template: { name: 'legal_analysis', version: '1.0.0' } },
      }),
    );
    sink.write(
      makeRecord({
        callId: 'a',
        attempt: 2,
        startedAt: day1,
        costUsd: 0.5,
        usage: usage(10, 5),
        metadata: { userId: 'alice', template: { name: 'legal_analysis', version: '1.0.0' } },
      }),
    );
    sink.write(
      makeRecord({
        callId: 'b',
        startedAt: day2,
        costUsd: 0.25,
        usage: usage(20, 10),
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        metadata: { userId: 'bob', template: { name: 'legal_analysis', version: '2.0.0' } },
      }),
    );
    sink.write(
      makeRecord({
        callId: 'c',
        startedAt: day2,
        costUsd: 1,
        usage: usage(30, 15),
        metadata: { userId: 'alice' },
      }),
    );
    await store.flush();

    expect(await store.calls.aggregate({ groupBy: 'day' })).toEqual([
      {
        key: '2025-06-01',
        calls: 1,
        attempts: 2,
        errors: 1,
        inputTokens: 20,
        cachedInputTokens: 2,
        cacheWriteTokens: 4,
        outputTokens: 5,
        reasoningTokens: 6,
        costUsd: 0.5,
        unpricedAttempts: 1,
      },
      {
        key: '2025-06-02',
        calls: 2,
        attempts: 2,
        errors: 0,
        inputTokens: 50,
        cachedInputTokens: 2,
        cacheWriteTokens: 4,
        outputTokens: 25,
        reasoningTokens: 6,
        costUsd: 1.25,
        unpricedAttempts: 0,
      },
    ]);
    const byModel = await store.calls.aggregate({ groupBy: 'model' });
    expect(byModel.map((row) => [row.key, row.calls, row.attempts, row.costUsd])).toEqual([
      ['openai/gpt-5.6-luna', 2, 3, 1.5],
      ['anthropic/claude-haiku-4-5', 1, 1, 0.25],
    ]);
    const byUser = await store.calls.aggregate({ groupBy: 'user' });
    expect(byUser.map((row) => [row.key, row.calls, row.inputTokens, row.outputTokens, row.costUsd])).toEqual(
      [
        ['alice', 2, 50, 20, 1.5],
        ['bob', 1, 20, 10, 0.25],
      ],
    );
    const byTemplate = await store.calls.aggregate({ groupBy: 'template' });
    expect(byTemplate.map((row) => [row.key, row.attempts, row.costUsd])).toEqual([
      [null, 1, 1],
      ['legal_analysis@1.0.0', 2, 0.5],
      ['legal_analysis@2.0.0', 1, 0.25],
    ]);
    const sinceDay2 = await store.calls.aggregate({ groupBy: 'user', since: '2025-06-02' });
    expect(sinceDay2.map((row) => [row.key, row.costUsd])).toEqual([
      ['alice', 1],
      ['bob', 0.25],
    ]);
    expect(await store.calls.aggregate({ groupBy: 'day', until: '2025-06-01T00:00:00.000Z' })).toEqual([]);
    await store.close();
  });

  it('retention deletes attempts older than a date, and only those', async () => {
    const store = await fresh();
    const sink = store.sink();
    for (let index = 0; index < 30; index++) sink.write(makeRecord({ startedAt: at(index) }));
    await store.flush();
    expect(await store.calls.deleteOlderThan(new Date(at(20)))).toBe(20);
    const { items } = await store.calls.list({ limit: 100 });
    expect(items).toHaveLength(10);
    expect(items.every((item) => item.createdAt >= at(20))).toBe(true);
    expect(await store.calls.deleteOlderThan(new Date(at(20)))).toBe(0);
    await store.close();
  });

  it('exports matching attempts as JSON lines, honouring backpressure', async () => {
    const store = await fresh();
    const sink = store.sink();
    for (let index = 0; index < 1200; index++) {
      // More than the default queue bound in one burst: wait for room instead of dropping.
      await store.writer.waitForCapacity();
      sink.write(
        makeRecord({ startedAt: at(index), metadata: { userId: index % 3 === 0 ? 'alice' : 'bob' } }),
      );
    }
    await store.flush();
    const lines: string[] = [];
    let waits = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk, _encoding, callback) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        waits++;
        setImmediate(callback);
      },
    });
    expect(await store.calls.exportJsonl({ userId: 'alice' }, slow)).toBe(400);
    expect(lines).toHaveLength(400);
    const entries = lines.map(
      (line) => JSON.parse(line) as { userId: string; createdAt: string; promptText: string },
    );
    expect(entries.every((entry) => entry.userId === 'alice')).toBe(true);
    expect(entries[0]!.createdAt > entries[1]!.createdAt).toBe(true);
    expect(entries[0]!.promptText).toContain('[user] Summarise');
    expect(waits).toBeGreaterThan(1);
    const limited = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    expect(await store.calls.exportJsonl({ limit: 7 }, limited)).toBe(7);
    await store.close();
  });

  it('several sinks of one store, and several stores on one database, write concurrently', async () => {
    const url = backend.freshUrl();
    const stores = await Promise.all(
      (backend.persistent ? [0, 1, 2] : [0]).map(() =>
        open(url, { writer: { maxBatch: 16, flushIntervalMs: 1 } }),
      ),
    );
    const writers = stores.flatMap((store) => [store.sink(), store.sink(), store.sink()]);
    const expected = new Set<string>();
    await Promise.all(
      writers.map(async (sink, writerIndex) => {
        for (let index = 0; index < 200; index++) {
          const record = makeRecord({ traceId: `writer-${writerIndex}` });
          expected.add(record.id);
          sink.write(record);
          if (index % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );
    await Promise.all(stores.map((store) => store.flush()));
    const rows = await rawRows(stores[0]!);
    expect(rows).toHaveLength(expected.size);
    expect(new Set(rows.map((row) => row['id']))).toEqual(expected);
    for (const store of stores) expect(store.writer.stats()).toMatchObject({ dropped: 0, failed: 0 });
    await Promise.all(stores.map((store) => store.close()));
  });

  it('at the bound drops the newest, counts them, logs it, and the flush reports exactly what was lost', async () => {
    const warnings: Array<{ details: object; message: string }> = [];
    const store = await fresh({
      writer: { maxBatch: 10, maxQueue: 50, flushIntervalMs: 60_000 },
      logger: { warn: (details, message) => warnings.push({ details, message }), error() {} },
    });
    const sink = store.sink();
    const records = Array.from({ length: 200 }, () => makeRecord());
    for (const record of records) sink.write(record);
    const { dropped } = store.writer.stats();
    expect(dropped).toBeGreaterThan(0);
    expect(warnings[0]?.message).toMatch(/queue full/);
    const error = await store.flush().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CallLogWriteError);
    expect((error as CallLogWriteError).lost).toBe(dropped);
    const rows = await rawRows(store);
    expect(rows).toHaveLength(200 - dropped);
    // drop-newest: what was accepted first is what is stored.
    expect(new Set(rows.map((row) => row['id']))).toEqual(
      new Set(records.slice(0, 200 - dropped).map((record) => record.id)),
    );
    expect(store.writer.stats()).toMatchObject({ written: 200 - dropped, dropped, queued: 0 });
    await store.close();
  });

  it('applies migrations once: reopening changes nothing and keeps the data', async () => {
    if (!backend.persistent) {
      const store = await fresh();
      expect(await migrateToLatest({ db: store.db, dialect: store.dialect })).toEqual([]);
      await store.close();
      return;
    }
    const url = backend.freshUrl();
    const first = await open(url);
    first.sink().write(makeRecord({ traceId: 'kept' }));
    await first.close();
    // Concurrent openers race on the migrations of an existing database, then reopen once more.
    const again = await Promise.all([open(url), open(url), open(url)]);
    await Promise.all(again.map((store) => store.close()));
    const store = await open(url);
    expect(await migrateToLatest({ db: store.db, dialect: store.dialect })).toEqual([]);
    const applied = (
      await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(
        store.db,
      )
    ).rows;
    expect(applied.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
    expect((await store.calls.list({ traceId: 'kept' })).items).toHaveLength(1);
    await store.close();
  });

  it('concurrent first opens of an empty database all succeed', async () => {
    if (!backend.persistent) return;
    const url = backend.freshUrl();
    const stores = await Promise.all([open(url), open(url), open(url)]);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('never lets a base64 image or an API key reach the database', async () => {
    const url = backend.freshUrl();
    const store = await open(url, {
      secrets: [CUSTOM_KEY],
      env: { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY },
    });
    // A record that skipped the client's sanitizing: raw image data, a data URL, keys everywhere.
    const record = makeRecord({
      traceId: `trace ${CUSTOM_KEY}`,
      metadata: {
        userId: `user ${OPENAI_KEY}`,
        tags: [`tag ${ANTHROPIC_KEY}`],
        template: { name: 'vision', version: CUSTOM_KEY },
      },
      request: {
        system: `Use key ${OPENAI_KEY} and header x-api-key: ${ANTHROPIC_KEY}`,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: `What is in this picture? inline: data:image/jpeg;base64,${PNG}` },
              { type: 'image', mediaType: 'image/png', data: PNG },
              { type: 'image', url: `data:image/webp;base64,${PNG}` },
            ],
          },
          {
            role: 'assistant',
            content: [
              {
                type: 'tool-call',
                id: 't1',
                name: 'upload',
                input: { file: PNG, auth: `Bearer ${CUSTOM_KEY}` },
              },
            ],
          },
          { role: 'tool', content: [{ type: 'tool-result', id: 't1', output: { echoed: OPENAI_KEY } }] },
        ],
        params: { apiKey: ANTHROPIC_KEY, secret: { 'quoted"key': `${CUSTOM_KEY}` } },
      },
      response: {
        text: `Here is your key back: ${OPENAI_KEY} and ${PNG}`,
        toolCalls: [
          { id: 'x', name: 'send', input: { token: CUSTOM_KEY, image: `data:image/png;base64,${PNG}` } },
        ],
        finishReason: 'stop',
      },
      status: 'error',
      errorClass: 'AuthError',
      errorMessage: `401 invalid key ${ANTHROPIC_KEY}`,
    });
    store.sink().write(record);
    await store.flush();

    const forbidden = [PNG.slice(0, 64), OPENAI_KEY, ANTHROPIC_KEY, CUSTOM_KEY];
    const text = JSON.stringify(await rawRows(store));
    for (const secret of forbidden) expect(text).not.toContain(secret);
    expect(text).toMatch(/\[image image\/png 5\.9 KB sha256:[0-9a-f]{8}\]/);
    expect(text).toMatch(/\[image image\/jpeg 5\.9 KB sha256:[0-9a-f]{8}\]/);
    expect(text).toContain('[REDACTED]');
    const entry = await store.calls.get(record.id);
    expect(entry?.promptText).toMatch(/^\[system\] Use key \[REDACTED\]/);
    expect(entry?.promptText).toMatch(
      /\[user\] What is in this picture\? inline: \[image image\/jpeg 5\.9 KB sha256:[0-9a-f]{8}\]\n\[image image\/png/,
    );
    // Search reads the stored request: what was redacted or stripped there cannot be found.
    for (const secret of [OPENAI_KEY, ANTHROPIC_KEY, CUSTOM_KEY, PNG.slice(0, 64)])
      expect((await store.calls.list({ search: secret })).items).toEqual([]);
    expect((await store.calls.list({ search: 'Use key [REDACTED]' })).items).toHaveLength(1);
    expect((await store.calls.list({ search: 'KB sha256:' })).items).toHaveLength(1);
    await store.close();

    if (url.startsWith('sqlite:') && backend.persistent) {
      // The bytes on disk, WAL included: nothing hides in a page the queries do not show.
      const path = sqlitePath(url);
      const bytes = [path, `${path}-wal`].map((file) => {
        try {
          return readFileSync(file).toString('latin1');
        } catch {
          return '';
        }
      });
      for (const secret of forbidden)
        for (const content of bytes) expect(content.includes(secret)).toBe(false);
    }
  });
});
