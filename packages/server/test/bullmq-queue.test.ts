import { fileURLToPath } from 'node:url';
import { createTaskQueries, openStore, type Store, type TaskRecord } from '@reins/store';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.ts';
import { uuidv7Ids } from '../src/ids.ts';
import { createBullmqQueue } from '../src/queue/bullmq-queue.ts';
import type { TaskQueue } from '../src/queue/task-queue.ts';
import { testKinds } from './fixtures/test-kinds.ts';
import { childProcesses } from './helpers/child-process.ts';
import { eventually, postgresUrl, redisUrl, silentStoreLogger, uniqueName } from './helpers/services.ts';

const redis = redisUrl();
const postgres = postgresUrl();
const workerScript = fileURLToPath(new URL('./fixtures/bullmq-test-worker.ts', import.meta.url));

describe.skipIf(redis === undefined)('BullMQ queue with two worker processes', () => {
  const schema = uniqueName('reins_bullmq');
  const prefix = uniqueName('reins-test');
  const storeUrl = postgres === undefined ? `sqlite:/tmp/${schema}.db` : `${postgres}?schema=${schema}`;
  const children = childProcesses();
  const workerEnv = {
    STORE_URL: storeUrl,
    REDIS_URL: redis!,
    QUEUE_PREFIX: prefix,
    LEASE_MS: '1000',
    CONCURRENCY: '2',
  };
  let store: Store;
  let queue: TaskQueue;

  beforeAll(async () => {
    store = await openStore({ url: storeUrl, logger: silentStoreLogger });
    queue = createBullmqQueue({
      tasks: createTaskQueries({ db: store.db, dialect: store.dialect }),
      kinds: testKinds,
      clock: systemClock,
      ids: uuidv7Ids(),
      defaults: { timeoutMs: 10_000, maxAttempts: 3 },
      redisUrl: redis!,
      prefix,
      ttlMs: 86_400_000,
    });
    await queue.start();
    await children.start(workerScript, { ...workerEnv, WORKER_ID: 'worker-a' });
    await children.start(workerScript, { ...workerEnv, WORKER_ID: 'worker-b' });
  });

  afterAll(async () => {
    await children.killAll();
    await queue?.stop();
    if (postgres !== undefined) await store?.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await store?.close();
    const client = new Redis(redis!);
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });

  const submit = (kind: string, input: unknown, extra: Record<string, unknown> = {}) =>
    queue.submit({ kind, input, owner: 'alice', traceId: 'trace-bullmq', ...extra });

  const settled = (id: string, timeoutMs = 20_000) =>
    eventually<TaskRecord>(async () => {
      const task = await queue.get(id);
      return task !== null && !['queued', 'running'].includes(task.status) ? task : undefined;
    }, timeoutMs);

  it('spreads tasks over both workers; results land in the store', async () => {
    const submitted = await Promise.all(
      Array.from({ length: 12 }, (_, index) => submit('echo', { text: `t${index}`, delayMs: 60 })),
    );
    const finished = await Promise.all(submitted.map((task) => settled(task.id)));
    expect(finished.every((task) => task.status === 'succeeded')).toBe(true);
    expect(finished[0]).toMatchObject({ result: { text: 'T0' }, usage: { inputTokens: 10 }, costUsd: 0.001 });
    expect(new Set(finished.map((task) => task.workerId))).toEqual(new Set(['worker-a', 'worker-b']));
  });

  it('retries retryable failures and times out attempts', async () => {
    const flaky = await submit('flaky', { failures: 2 });
    const slow = await submit('hang', {}, { timeoutMs: 200 });
    expect(await settled(flaky.id)).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(await settled(slow.id)).toMatchObject({
      status: 'timed_out',
      error: { class: 'TaskTimeoutError' },
    });
  });

  it('cancels a task running in a worker process, which then takes new work', async () => {
    const running = await submit('hang', {}, { timeoutMs: 60_000 });
    await eventually(async () => ((await queue.get(running.id))?.status === 'running' ? true : undefined));
    expect(await queue.cancel(running.id)).toMatchObject({ status: 'cancelled' });
    // Four slots in all: a slot the cancelled task held must free up for these.
    const after = await Promise.all(
      Array.from({ length: 4 }, (_, index) => submit('echo', { text: `after${index}` })),
    );
    for (const task of after) expect((await settled(task.id)).status).toBe('succeeded');
    expect((await queue.get(running.id))?.status).toBe('cancelled');
  });

  it('loses no task when a worker is killed with SIGKILL mid-task', async () => {
    // Started (and ready) before the tasks exist, so it surely takes some of them.
    const victim = await children.start(workerScript, {
      ...workerEnv,
      WORKER_ID: 'worker-victim',
      CONCURRENCY: '4',
    });
    const submitted = await Promise.all(
      Array.from({ length: 10 }, (_, index) => submit('echo', { text: `k${index}`, delayMs: 1_500 })),
    );
    await eventually(async () => {
      const { items } = await queue.list({ status: 'running' });
      return items.some((task) => task.workerId === 'worker-victim') ? true : undefined;
    });
    await children.kill9(victim.child);
    const finished = await Promise.all(submitted.map((task) => settled(task.id, 30_000)));
    expect(finished.map((task) => task.status)).toEqual(Array(10).fill('succeeded'));
    expect(finished.some((task) => task.attempts === 2)).toBe(true);
    expect(finished.every((task) => task.workerId !== 'worker-victim')).toBe(true);
  });
});
