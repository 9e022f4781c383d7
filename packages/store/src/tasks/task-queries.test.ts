import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../open-store.ts';
import { createTaskQueries, type TaskQueries } from './task-queries.ts';

const postgresUrl = process.env['DATABASE_URL']?.startsWith('postgres')
  ? process.env['DATABASE_URL']
  : undefined;
if (postgresUrl === undefined && process.env['REINS_REQUIRE_SERVICES'] === '1') {
  throw new Error('REINS_REQUIRE_SERVICES=1 but DATABASE_URL does not point at PostgreSQL');
}
const schema = `reins_tasks_${randomBytes(4).toString('hex')}`;
const targets = [
  { name: 'sqlite', url: 'sqlite::memory:' },
  ...(postgresUrl === undefined ? [] : [{ name: 'postgres', url: `${postgresUrl}?schema=${schema}` }]),
];

afterAll(async () => {
  if (postgresUrl === undefined) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

const T0 = Date.parse('2025-06-01T12:00:00.000Z');
// Inserts happen in the first second; every later step is at least 10s in.
const at = (ms: number) => new Date(T0 + ms).toISOString();
const later = (ms: number) => at(10_000 + ms);

describe.each(targets)('task queries on $name', ({ url }) => {
  let store: Store;
  let tasks: TaskQueries;
  let n = 0;

  async function fresh() {
    await store?.close();
    store = await openStore({ url, logger: { warn() {}, error() {} } });
    tasks = createTaskQueries({ db: store.db, dialect: store.dialect });
    await store.db.deleteFrom('tasks' as never).execute();
  }

  const insert = (overrides: Partial<Parameters<TaskQueries['insert']>[0]> = {}) => {
    n += 1;
    return tasks.insert({
      id: `task-${String(n).padStart(4, '0')}`,
      kind: 'generate',
      owner: 'alice',
      traceId: `trace-${n}`,
      input: { prompt: 'Hi', n },
      priority: 50,
      maxAttempts: 2,
      timeoutMs: 1_000,
      now: at(n),
      ...overrides,
    });
  };

  afterAll(async () => {
    await store?.close();
  });

  it('inserts, reads back and lists newest first with a cursor', async () => {
    await fresh();
    const first = await insert();
    expect(first).toMatchObject({
      status: 'queued',
      attempts: 0,
      input: { prompt: 'Hi' },
      cancelRequested: false,
    });
    expect(first.createdAt).toBe(at(n));
    await insert({ owner: 'bob' });
    await insert();
    expect(await tasks.get(first.id)).toEqual(first);
    expect(await tasks.get('nope')).toBeNull();
    const page = await tasks.list({ owner: 'alice', limit: 1 });
    expect(page.items.map((task) => task.owner)).toEqual(['alice']);
    const next = await tasks.list({ owner: 'alice', limit: 1, cursor: page.nextCursor! });
    expect(next.items[0]!.id).toBe(first.id);
    expect(next.nextCursor).toBeNull();
    await expect(tasks.list({ cursor: 'garbage' })).rejects.toThrow(/cursor/);
  });

  it('claims by priority then age, respects run_after, never twice', async () => {
    await fresh();
    const low = await insert({ priority: 10 });
    const high = await insert({ priority: 90 });
    const top = await insert({ priority: 99 });
    await tasks
      .claimNext({ workerId: 'w0', now: later(100), leaseUntil: later(200) })
      .then(async (claimed) => {
        expect(claimed!.id).toBe(top.id);
        await tasks.requeue(claimed!.id, {
          workerId: 'w0',
          mode: 'retry',
          runAfter: later(10_000),
          now: later(100),
        });
      });
    const claims = await Promise.all([
      tasks.claimNext({ workerId: 'w1', now: later(100), leaseUntil: later(200) }),
      tasks.claimNext({ workerId: 'w2', now: later(100), leaseUntil: later(200) }),
      tasks.claimNext({ workerId: 'w3', now: later(100), leaseUntil: later(200) }),
    ]);
    const ids = claims.map((task) => task?.id ?? null);
    expect(ids.filter((id) => id !== null).sort()).toEqual([low.id, high.id].sort());
    expect(claims.find((task) => task?.id === high.id)).toMatchObject({ status: 'running', attempts: 1 });
    const retried = await tasks.claimNext({ workerId: 'w4', now: later(10_000), leaseUntil: later(20_000) });
    expect(retried).toMatchObject({ id: top.id, attempts: 2, workerId: 'w4' });
  });

  it('claims a batch in priority then age order in one call, and concurrent batches never share a task', async () => {
    await fresh();
    const old = await insert({ now: at(1) });
    const newer = await insert({ now: at(2) });
    const urgent = await insert({ priority: 90, now: at(3) });
    const delayed = await insert({ priority: 99, now: at(4) });
    await tasks.claimNext({ workerId: 'w0', now: later(0), leaseUntil: later(100) });
    await tasks.requeue(delayed.id, { workerId: 'w0', mode: 'retry', runAfter: later(5_000), now: later(0) });
    const rest = await Promise.all(Array.from({ length: 6 }, () => insert({ now: at(10) })));

    const batch = await tasks.claim({ workerId: 'w1', now: later(100), leaseUntil: later(200), limit: 3 });
    expect(batch.map((task) => task.id)).toEqual([urgent.id, old.id, newer.id]);
    expect(batch.every((task) => task.status === 'running' && task.workerId === 'w1')).toBe(true);

    const racing = await Promise.all(
      ['w2', 'w3', 'w4'].map((workerId) =>
        tasks.claim({ workerId, now: later(100), leaseUntil: later(200), limit: 4 }),
      ),
    );
    const taken = racing.flat().map((task) => task.id);
    expect(new Set(taken).size).toBe(taken.length);
    expect(taken.sort()).toEqual(rest.map((task) => task.id).sort());
    expect(await tasks.claim({ workerId: 'w5', now: later(100), leaseUntil: later(200), limit: 4 })).toEqual(
      [],
    );
    expect((await tasks.count()).queued).toBe(1);
  });

  it('settles only from the worker holding the task', async () => {
    await fresh();
    const task = await insert();
    await tasks.claimNext({ workerId: 'w1', now: later(10), leaseUntil: later(1_000) });
    expect(
      await tasks.finish(task.id, { workerId: 'other', status: 'succeeded', now: later(20) }),
    ).toBeNull();
    await tasks.progress(task.id, { completed: 1, total: 2 }, later(15));
    const done = await tasks.finish(task.id, {
      workerId: 'w1',
      status: 'succeeded',
      result: { text: 'Hello' },
      usage: { inputTokens: 3 },
      costUsd: 0.001,
      now: later(20),
    });
    expect(done).toMatchObject({
      status: 'succeeded',
      result: { text: 'Hello' },
      progress: { completed: 1, total: 2 },
      usage: { inputTokens: 3 },
      costUsd: 0.001,
      finishedAt: later(20),
      leaseExpiresAt: null,
    });
    expect(await tasks.cancel(task.id, later(30))).toBeNull();
  });

  it('releases on shutdown without spending an attempt', async () => {
    await fresh();
    const task = await insert();
    await tasks.claimNext({ workerId: 'w1', now: later(10), leaseUntil: later(1_000) });
    const released = await tasks.requeue(task.id, { workerId: 'w1', mode: 'release', now: later(20) });
    expect(released).toMatchObject({ status: 'queued', attempts: 0, workerId: null });
  });

  it('cancels queued and running tasks; renewal tells the runner', async () => {
    await fresh();
    const running = await insert();
    const queued = await insert();
    expect(await tasks.claimNext({ workerId: 'w1', now: later(10), leaseUntil: later(1_000) })).toMatchObject(
      {
        id: running.id,
      },
    );
    expect(await tasks.cancel(queued.id, later(20))).toMatchObject({
      status: 'cancelled',
      cancelRequested: true,
    });
    expect(await tasks.renewLeases('w1', [running.id], later(2_000), later(30))).toEqual(
      new Set([running.id]),
    );
    expect(await tasks.renewLeases('w2', [running.id], later(2_000), later(30))).toEqual(new Set());
    expect(await tasks.cancel(running.id, later(40))).toMatchObject({
      status: 'cancelled',
      finishedAt: later(40),
    });
    expect(await tasks.renewLeases('w1', [running.id], later(2_000), later(50))).toEqual(new Set());
    expect(
      await tasks.finish(running.id, { workerId: 'w1', status: 'succeeded', now: later(60) }),
    ).toBeNull();
  });

  it('recovers tasks whose lease expired, failing those without attempts left', async () => {
    await fresh();
    const once = await insert({ maxAttempts: 2 });
    const last = await insert({ maxAttempts: 1 });
    await tasks.claimNext({ workerId: 'dead', now: later(10), leaseUntil: later(100) });
    await tasks.claimNext({ workerId: 'dead', now: later(10), leaseUntil: later(100) });
    expect(await tasks.recoverExpired(later(50))).toEqual({ requeued: [], failed: [] });
    const recovered = await tasks.recoverExpired(later(101));
    expect(recovered).toEqual({ requeued: [once.id], failed: [last.id] });
    expect(await tasks.get(last.id)).toMatchObject({ status: 'failed', error: { class: 'TaskLostError' } });
    expect(await tasks.get(once.id)).toMatchObject({ status: 'queued', attempts: 1, workerId: null });
    expect(await tasks.count()).toEqual({
      queued: 1,
      running: 0,
      succeeded: 0,
      failed: 1,
      cancelled: 0,
      timed_out: 0,
    });
    expect((await tasks.count('nobody')).failed).toBe(0);
  });

  it('starts a specific task for a BullMQ worker, taking over a stalled one', async () => {
    await fresh();
    const task = await insert();
    expect(
      await tasks.start(task.id, { workerId: 'w1', now: later(10), leaseUntil: later(100) }),
    ).toMatchObject({
      status: 'running',
      attempts: 1,
    });
    expect(
      await tasks.start(task.id, { workerId: 'w2', now: later(20), leaseUntil: later(100) }),
    ).toMatchObject({
      workerId: 'w2',
      attempts: 2,
    });
    await tasks.cancel(task.id, later(30));
    expect(await tasks.start(task.id, { workerId: 'w3', now: later(40), leaseUntil: later(100) })).toBeNull();
  });

  it('deletes finished tasks past their TTL only', async () => {
    await fresh();
    const old = await insert();
    await insert();
    await tasks.cancel(old.id, later(10));
    expect(await tasks.deleteFinished(later(5))).toBe(0);
    expect(await tasks.deleteFinished(later(11))).toBe(1);
    expect(await tasks.get(old.id)).toBeNull();
    expect((await tasks.count()).queued).toBe(1);
  });
});
