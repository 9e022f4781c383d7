import { fileURLToPath } from 'node:url';
import { type Simulator, startSimulator } from '@reins/simulator';
import { createTaskQueries, openStore, type Store, type TaskRecord } from '@reins/store';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.ts';
import { uuidv7Ids } from '../src/ids.ts';
import { createBullmqQueue } from '../src/queue/bullmq-queue.ts';
import { createTaskKinds } from '../src/queue/task-kinds.ts';
import type { TaskQueue } from '../src/queue/task-queue.ts';
import type { LlmService } from '../src/services/llm-service.ts';
import { childProcesses } from './helpers/child-process.ts';
import { eventually, postgresUrl, redisUrl, uniqueName } from './helpers/services.ts';

/*
 * Issue #6: two real `reins worker` processes on one Redis and one store, against one simulator
 * that enforces a per-key limit. With the limiter's buckets in Redis they stay under it together
 * (zero 429s); with per-process buckets (REINS_SHARED_LIMITS=false) the same load meets 429s.
 * And one worker opening the circuit makes the other refuse without calling the provider.
 */
const redis = redisUrl();
const postgres = postgresUrl();
const bin = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));
// The kinds' input schemas validate submissions here; the workers run the real processors.
const kinds = createTaskKinds({} as LlmService);
const MODEL = 'openai/gpt-4o-mini';

describe.skipIf(redis === undefined)('limits and breakers shared by two reins worker processes', () => {
  const children = childProcesses();
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    await children.killAll();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => children.killAll());

  /** A fresh simulator, store (schema), queue prefix and queue for one test. */
  async function setup(simulatorOptions: Parameters<typeof startSimulator>[0]) {
    const simulator: Simulator = await startSimulator({ port: 0, ...simulatorOptions });
    cleanups.push(() => simulator.close());
    const schema = uniqueName('reins_shared');
    const prefix = uniqueName('reins-shared');
    const storeUrl = postgres === undefined ? `sqlite:/tmp/${schema}.db` : `${postgres}?schema=${schema}`;
    const store: Store = await openStore({ url: storeUrl, logger: { warn() {}, error() {} } });
    const queue: TaskQueue = createBullmqQueue({
      tasks: createTaskQueries({ db: store.db, dialect: store.dialect }),
      kinds,
      clock: systemClock,
      ids: uuidv7Ids(),
      defaults: { timeoutMs: 120_000, maxAttempts: 3 },
      redisUrl: redis!,
      prefix,
      ttlMs: 86_400_000,
    });
    await queue.start();
    cleanups.push(async () => {
      await queue.stop();
      if (postgres !== undefined) await store.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await store.close();
      const client = new Redis(redis!);
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    });
    const env = (shared: boolean, concurrency: number) => ({
      DATABASE_URL: storeUrl,
      REDIS_URL: redis!,
      REINS_QUEUE_PREFIX: prefix,
      REINS_QUEUE_CONCURRENCY: String(concurrency),
      REINS_SHARED_LIMITS: String(shared),
      OPENAI_API_KEY: 'sk-shared-limits-test',
      OPENAI_BASE_URL: `${simulator.url}/v1`,
      ANTHROPIC_API_KEY: '',
      REINS_LOG_LEVEL: 'warn',
    });
    const startWorker = (shared: boolean, concurrency = 16) =>
      children.start(bin, env(shared, concurrency), /reins worker: /, ['worker']);
    const submit = (count: number, maxAttempts = 3) =>
      Promise.all(
        Array.from({ length: count }, (_, index) =>
          queue.submit({
            kind: 'generate',
            input: { model: MODEL, prompt: `Say something about item ${index}`, maxTokens: 16 },
            owner: 'alice',
            traceId: `trace-shared-${index}`,
            maxAttempts,
          }),
        ),
      );
    const settled = (ids: string[]) =>
      Promise.all(
        ids.map((id) =>
          eventually<TaskRecord>(
            async () => {
              const task = await queue.get(id);
              return task !== null && !['queued', 'running'].includes(task.status) ? task : undefined;
            },
            90_000,
            100,
          ),
        ),
      );
    return { simulator, startWorker, submit, settled };
  }

  // 240 requests a minute per key: a full bucket lets 240 through at once, then 4 a second.
  const RPM = 240;
  const TASKS = 280;

  it('two workers sharing the buckets in Redis stay under the limit together: no 429, every task succeeds', async () => {
    const { simulator, startWorker, submit, settled } = await setup({
      rateLimits: { rpm: RPM },
      profile: 'realistic',
      latencyScale: 0.2,
    });
    const [first, second] = await Promise.all([startWorker(true), startWorker(true)]);
    const finished = await settled((await submit(TASKS)).map((task) => task.id));
    expect(finished.filter((task) => task.status !== 'succeeded')).toEqual([]);
    const stats = simulator.stats();
    expect(stats.rateLimited).toBe(0);
    expect(stats.requests).toBe(TASKS);
    // Both workers did part of the work, so neither alone explains the result.
    const workers = new Set(finished.map((task) => task.workerId));
    expect(workers.size).toBe(2);
    expect(first.output() + second.output()).not.toMatch(/shared_state_unavailable/);
  }, 120_000);

  it('control: the same load with per-process buckets meets 429s', async () => {
    const { simulator, startWorker, submit, settled } = await setup({
      rateLimits: { rpm: RPM },
      profile: 'realistic',
      latencyScale: 0.2,
    });
    await Promise.all([startWorker(false), startWorker(false)]);
    const finished = await settled((await submit(TASKS)).map((task) => task.id));
    expect(new Set(finished.map((task) => task.workerId)).size).toBe(2);
    expect(simulator.stats().rateLimited).toBeGreaterThan(0);
  }, 120_000);

  for (const shared of [true, false]) {
    it(`${shared ? 'one worker opening the circuit makes the other refuse without a request' : 'control: per-process breakers let the other worker call the failing provider'}`, async () => {
      // Every request fails with a 500: the client retries 3 times, so two tasks make 8 failures
      // and the breaker (5 consecutive) opens inside the first worker.
      const { simulator, startWorker, submit, settled } = await setup({ faults: '500:1' });
      const first = await startWorker(shared, 2);
      const opening = await settled((await submit(2, 1)).map((task) => task.id));
      expect(opening.map((task) => task.status)).toEqual(['failed', 'failed']);
      const before = simulator.stats().requests;
      expect(before).toBeGreaterThanOrEqual(5);
      await children.stop(first.child);
      // A worker that never saw a failure takes the next tasks.
      const fresh = await startWorker(shared, 4);
      const next = await submit(4, 1);
      if (shared) {
        const after = await settled(next.map((task) => task.id));
        // The worker's output rides along, so a failure shows its log lines.
        expect({ errors: after.map((task) => task.error?.class), log: fresh.output() }).toMatchObject({
          errors: Array(4).fill('CircuitOpenError'),
        });
        expect(simulator.stats().requests).toBe(before);
      } else {
        await eventually(async () => (simulator.stats().requests > before ? true : undefined), 30_000);
      }
    }, 120_000);
  }
});
