import { createTaskQueries, openStore, type Store, type TaskQueries, type TaskRecord } from '@reins/store';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually, silentStoreLogger, storeTargets } from '../../test/helpers/services.ts';
import { systemClock } from '../clock.ts';
import { RequestValidationError } from '../errors/server-error.ts';
import { uuidv7Ids } from '../ids.ts';
import { createInProcessQueue, type InProcessQueueOptions } from './in-process-queue.ts';
import { defineTaskKind, type TaskQueue } from './task-queue.ts';

const { targets, cleanup } = storeTargets();
afterAll(cleanup);

class Flaky extends Error {
  readonly isRetryable = true;
}

/** Processors registered by the tests: the queue is the unit under test, not the work. */
function testKinds(log: { running: number; maxRunning: number; seen: string[]; aborted: string[] }) {
  return {
    echo: defineTaskKind({
      input: z.object({ text: z.string(), delayMs: z.number().default(0) }),
      run: async (input, context) => {
        log.running += 1;
        log.maxRunning = Math.max(log.maxRunning, log.running);
        log.seen.push(input.text);
        try {
          context.progress({ step: 'started' });
          await new Promise((resolve) => setTimeout(resolve, input.delayMs));
          context.addUsage({ inputTokens: 10, outputTokens: 5 }, 0.001);
          context.progress({ step: 'done' });
          return { text: input.text.toUpperCase() };
        } finally {
          log.running -= 1;
        }
      },
    }),
    hang: defineTaskKind({
      input: z.object({}),
      run: (_input, { signal, task }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            log.aborted.push(task.id);
            reject(signal.reason);
          });
        }),
    }),
    flaky: defineTaskKind({
      input: z.object({ failures: z.number(), retryable: z.boolean().default(true) }),
      run: async (input, { task }) => {
        if (task.attempt <= input.failures) {
          throw input.retryable
            ? new Flaky(`attempt ${task.attempt} failed`)
            : new Error('bad input, no retry');
        }
        return { attempt: task.attempt };
      },
    }),
  };
}

describe.each(targets)('in-process queue on $name', ({ url }) => {
  let store: Store | undefined;
  const queues: TaskQueue[] = [];
  let log = { running: 0, maxRunning: 0, seen: [] as string[], aborted: [] as string[] };

  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.stop({ graceMs: 0 });
    await store?.close();
    store = undefined;
  });

  async function setup(
    overrides: Partial<InProcessQueueOptions> = {},
  ): Promise<{ queue: TaskQueue; tasks: TaskQueries }> {
    store ??= await openStore({ url, logger: silentStoreLogger });
    const tasks = createTaskQueries({ db: store.db, dialect: store.dialect });
    if (queues.length === 0) {
      await store.db.deleteFrom('tasks' as never).execute();
      log = { running: 0, maxRunning: 0, seen: [], aborted: [] };
    }
    const queue = createInProcessQueue({
      tasks,
      kinds: testKinds(log),
      clock: systemClock,
      ids: uuidv7Ids(),
      defaults: { timeoutMs: 5_000, maxAttempts: 3 },
      concurrency: 2,
      pollMs: 20,
      leaseMs: 300,
      ttlMs: 86_400_000,
      backoff: { initialDelayMs: 10, maxDelayMs: 20 },
      ...overrides,
    });
    queues.push(queue);
    return { queue, tasks };
  }

  const submit = (queue: TaskQueue, kind: string, input: unknown, extra: Record<string, unknown> = {}) =>
    queue.submit({ kind, input, owner: 'alice', traceId: 'trace-1', ...extra });

  const settled = (queue: TaskQueue, id: string, timeoutMs = 10_000) =>
    eventually(async () => {
      const task = await queue.get(id);
      return task !== null && !['queued', 'running'].includes(task.status) ? task : undefined;
    }, timeoutMs);

  it('runs a task to success with result, progress, usage, cost and timings', async () => {
    const { queue } = await setup();
    await queue.start();
    const submitted = await submit(queue, 'echo', { text: 'hello' });
    expect(submitted).toMatchObject({ status: 'queued', owner: 'alice', priority: 50, maxAttempts: 3 });
    const task = await settled(queue, submitted.id);
    expect(task).toMatchObject({
      status: 'succeeded',
      result: { text: 'HELLO' },
      progress: { step: 'done' },
      usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0 },
      costUsd: 0.001,
      attempts: 1,
      error: null,
    });
    expect(task.startedAt).not.toBeNull();
    expect(task.finishedAt).not.toBeNull();
  });

  it('never runs more than its concurrency at once', async () => {
    const { queue } = await setup({ concurrency: 2 });
    await queue.start();
    const submitted = await Promise.all(
      Array.from({ length: 6 }, (_, index) => submit(queue, 'echo', { text: `t${index}`, delayMs: 40 })),
    );
    for (const task of submitted) expect((await settled(queue, task.id)).status).toBe('succeeded');
    expect(log.maxRunning).toBe(2);
    expect(log.seen).toHaveLength(6);
  });

  it('runs higher priority first', async () => {
    const { queue } = await setup({ concurrency: 1 });
    const low = await submit(queue, 'echo', { text: 'low' }, { priority: 1 });
    const high = await submit(queue, 'echo', { text: 'high' }, { priority: 99 });
    await queue.start();
    await settled(queue, low.id);
    await settled(queue, high.id);
    expect(log.seen).toEqual(['high', 'low']);
  });

  it('times out an attempt and aborts its signal', async () => {
    const { queue } = await setup();
    await queue.start();
    const submitted = await submit(queue, 'hang', {}, { timeoutMs: 100 });
    const task = await settled(queue, submitted.id);
    expect(task).toMatchObject({
      status: 'timed_out',
      error: { class: 'TaskTimeoutError', retryable: false },
    });
    expect(log.aborted).toEqual([submitted.id]);
  });

  it('retries retryable failures with backoff, up to the attempt limit', async () => {
    const { queue } = await setup();
    await queue.start();
    const recovers = await submit(queue, 'flaky', { failures: 2 });
    expect(await settled(queue, recovers.id)).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      result: { attempt: 3 },
    });
    const exhausted = await submit(queue, 'flaky', { failures: 5 }, { maxAttempts: 2 });
    expect(await settled(queue, exhausted.id)).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { class: 'Flaky', message: 'attempt 2 failed', retryable: true },
    });
  });

  it('does not retry a failure that says it is not retryable', async () => {
    const { queue } = await setup();
    await queue.start();
    const submitted = await submit(queue, 'flaky', { failures: 1, retryable: false });
    expect(await settled(queue, submitted.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { message: 'bad input, no retry', retryable: false },
    });
  });

  it('cancels a running task by aborting its signal, and a queued one before it runs', async () => {
    const { queue } = await setup({ concurrency: 1 });
    await queue.start();
    const running = await submit(queue, 'hang', {});
    const queued = await submit(queue, 'echo', { text: 'never' });
    await eventually(async () => ((await queue.get(running.id))?.status === 'running' ? true : undefined));
    expect(await queue.cancel(queued.id)).toMatchObject({ status: 'cancelled' });
    expect(await queue.cancel(running.id)).toMatchObject({ status: 'cancelled' });
    await eventually(async () => (log.aborted.includes(running.id) ? true : undefined));
    expect((await queue.get(running.id))?.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log.seen).not.toContain('never');
    expect(await queue.cancel('missing')).toBeNull();
    expect(await queue.cancel(running.id)).toMatchObject({ status: 'cancelled' });
  });

  it('re-queues a task whose process died once its lease expires', async () => {
    const { queue, tasks } = await setup();
    const orphan = await submit(queue, 'echo', { text: 'orphan' });
    const last = await submit(queue, 'echo', { text: 'last' }, { maxAttempts: 1 });
    const now = Date.now();
    // Another process claimed both, then vanished without a word.
    for (let index = 0; index < 2; index++) {
      await tasks.claimNext({
        workerId: 'dead',
        now: new Date(now).toISOString(),
        leaseUntil: new Date(now + 200).toISOString(),
      });
    }
    await queue.start();
    expect(await settled(queue, orphan.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await settled(queue, last.id)).toMatchObject({
      status: 'failed',
      error: { class: 'TaskLostError' },
    });
  });

  it('gives running tasks back to the queue on shutdown without spending an attempt', async () => {
    const first = await setup();
    await first.queue.start();
    const submitted = await submit(first.queue, 'hang', {});
    await eventually(async () =>
      (await first.queue.get(submitted.id))?.status === 'running' ? true : undefined,
    );
    await first.queue.stop({ graceMs: 50 });
    expect(await first.queue.get(submitted.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('deletes finished tasks after their TTL', async () => {
    const { queue } = await setup();
    await queue.start();
    const done = await submit(queue, 'echo', { text: 'old' });
    await settled(queue, done.id);
    await queue.stop();
    queues.splice(0);
    const { queue: later } = await setup({ ttlMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await later.start();
    expect(await later.get(done.id)).toBeNull();
  });

  it('refuses an unknown kind or a bad input, naming the field', async () => {
    const { queue } = await setup();
    const unknown = await submit(queue, 'nope', {}).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(RequestValidationError);
    expect((unknown as RequestValidationError).errors?.[0]).toMatchObject({ field: 'kind' });
    const bad = (await submit(queue, 'echo', { text: 3 }).catch(
      (error: unknown) => error,
    )) as RequestValidationError;
    expect(bad.errors?.[0]).toMatchObject({ field: 'input.text', pointer: '#/input/text' });
    expect((await queue.counts()).queued).toBe(0);
  });

  it('reports counts per status', async () => {
    const { queue } = await setup();
    await submit(queue, 'echo', { text: 'a' });
    expect(await queue.counts()).toMatchObject({ queued: 1, running: 0 });
    await expect(queue.ping()).resolves.toBeUndefined();
  });
});

export type { TaskRecord };
