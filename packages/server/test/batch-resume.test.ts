import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@reins/simulator';
import { createTaskQueries, openStore } from '@reins/store';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProcesses } from './helpers/child-process.ts';
import { eventually, postgresUrl, redisUrl, silentStoreLogger, uniqueName } from './helpers/services.ts';

/*
 * A batch resumes where it stopped, tested the hard way: the process running it is killed with
 * SIGKILL mid-batch. The simulator runs here, in the test's process, so its request count is
 * exact; `reins serve` and `reins worker` talk to it as a real provider.
 */
const bin = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));
const KEY = 'resume-key-0123456789abcdef';
const UPSTREAM_KEY = 'sk-resume-upstream-0123456789';
const READY = /reins (serve|worker): /;
const TOTAL = 8;
const children = childProcesses();
let simulator: Awaited<ReturnType<typeof startSimulator>>;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, profile: 'realistic', seed: 7 });
});
afterAll(async () => {
  await children.killAll();
  await simulator.close();
});

type Checkpoint = { results: Array<{ status: string; callId?: string } | null> };
type BatchTask = {
  status: string;
  attempts: number;
  progress: { done: number } | null;
  usage: { outputTokens: number };
  result: { results: Array<{ status: string; callId: string; usage: { outputTokens: number } }> };
};

async function serve(env: Record<string, string>) {
  const started = await children.start(bin, { REINS_PORT: '0', REINS_LOG_LEVEL: 'warn', ...env }, READY, [
    'serve',
  ]);
  return { ...started, url: /API on (http:\/\/\S+) /.exec(started.output())![1]! };
}

function api(url: string) {
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  return {
    async submit(input: unknown): Promise<string> {
      const response = await fetch(`${url}/v1/tasks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ kind: 'batch', input }),
      });
      expect(response.status).toBe(202);
      return ((await response.json()) as { id: string }).id;
    },
    async task(id: string): Promise<BatchTask> {
      return (await (await fetch(`${url}/v1/tasks/${id}`, { headers })).json()) as BatchTask;
    },
    async calls(id: string): Promise<Array<{ callId: string; promptText: string }>> {
      const response = await fetch(`${url}/v1/calls?taskId=${id}&status=ok&limit=200`, { headers });
      return ((await response.json()) as { items: Array<{ callId: string; promptText: string }> }).items;
    },
  };
}

const ITEMS = Array.from({ length: TOTAL }, (_, index) => ({ prompt: `item ${index}`, maxTokens: 20 }));

/**
 * Kills the process running the batch once 3 items settled, reads the checkpoint the
 * store holds at that moment, and returns it with the simulator's request count at the kill.
 */
async function killMidBatch(
  client: ReturnType<typeof api>,
  id: string,
  databaseUrl: string,
  kill: () => Promise<void>,
) {
  await eventually(
    async () => {
      const task = await client.task(id);
      return task.status === 'running' && (task.progress?.done ?? 0) >= 3 ? true : undefined;
    },
    30_000,
    20,
  );
  await kill();
  // A request the process sent just before it died may still be reaching the simulator.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const requestsAtKill = simulator.stats().requests;
  const store = await openStore({ url: databaseUrl, logger: silentStoreLogger });
  try {
    const stored = await createTaskQueries({ db: store.db, dialect: store.dialect }).get(id);
    const checkpoint = (stored!.progress as { $checkpoint: Checkpoint }).$checkpoint;
    const settled = checkpoint.results.flatMap((result, index) => (result === null ? [] : [index]));
    return { checkpoint, settled, requestsAtKill };
  } finally {
    await store.close();
  }
}

async function expectResumed(
  client: ReturnType<typeof api>,
  id: string,
  killed: Awaited<ReturnType<typeof killMidBatch>>,
) {
  const task = await eventually(
    async () => {
      const current = await client.task(id);
      return ['queued', 'running'].includes(current.status) ? undefined : current;
    },
    40_000,
    100,
  );
  expect(task.status).toBe('succeeded');
  expect(task.attempts).toBe(2);
  expect(killed.settled.length).toBeGreaterThanOrEqual(3);
  // The second attempt asked the provider once per item not settled, never for a settled one.
  expect(simulator.stats().requests - killed.requestsAtKill).toBe(TOTAL - killed.settled.length);
  const { results } = task.result;
  expect(results.map((result) => result.status)).toEqual(Array(TOTAL).fill('fulfilled'));
  for (const index of killed.settled) {
    expect(results[index]!.callId).toBe(killed.checkpoint.results[index]!.callId);
  }
  // Input order: the calls this process logged are those of their items. The worker's call log is
  // written by its batched writer, after (not with) the task's finish, so wait for the rows.
  const rerun = results.filter((_, index) => !killed.settled.includes(index)).map((result) => result.callId);
  const calls = await eventually(
    async () => {
      const logged = new Map((await client.calls(id)).map((call) => [call.callId, call.promptText]));
      return rerun.every((callId) => logged.has(callId)) ? logged : undefined;
    },
    10_000,
    100,
  );
  results.forEach((result, index) => {
    if (!killed.settled.includes(index)) expect(calls.get(result.callId)).toContain(`item ${index}`);
  });
  expect(task.usage.outputTokens).toBe(results.reduce((sum, result) => sum + result.usage.outputTokens, 0));
}

describe('batch resume after kill -9 of reins serve (default queue, SQLite)', () => {
  const database = join(tmpdir(), `${uniqueName('reins-batch-resume')}.db`);
  afterAll(() => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
  });

  it('runs only the items not settled before the crash', async () => {
    const env = {
      DATABASE_URL: `sqlite:${database}`,
      REDIS_URL: '',
      OPENAI_API_KEY: UPSTREAM_KEY,
      OPENAI_BASE_URL: `${simulator.url}/v1`,
      REINS_API_KEYS: `ops:${KEY}`,
      REINS_TASK_LEASE_MS: '1000',
    };
    const first = await serve(env);
    const id = await api(first.url).submit({ items: ITEMS, concurrency: 2 });
    const killed = await killMidBatch(api(first.url), id, `sqlite:${database}`, () =>
      children.kill9(first.child),
    );
    const second = await serve(env);
    await expectResumed(api(second.url), id, killed);
    await children.stop(second.child);
  }, 90_000);
});

const redis = redisUrl();
const postgres = postgresUrl();

describe.skipIf(redis === undefined || postgres === undefined)(
  'batch resume after kill -9 of a reins worker (BullMQ, PostgreSQL)',
  () => {
    const schema = uniqueName('reins_batch_resume');
    const prefix = uniqueName('reins-batch-resume');
    const databaseUrl = `${postgres}?schema=${schema}`;
    afterAll(async () => {
      await children.killAll();
      const store = await openStore({ url: databaseUrl, logger: silentStoreLogger });
      await store.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await store.close();
      const client = new Redis(redis!);
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    });

    it('another worker runs only the items not settled before the crash', async () => {
      const env = {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis!,
        REINS_QUEUE_PREFIX: prefix,
        OPENAI_API_KEY: UPSTREAM_KEY,
        OPENAI_BASE_URL: `${simulator.url}/v1`,
        REINS_API_KEYS: `ops:${KEY}`,
        REINS_TASK_LEASE_MS: '1000',
      };
      const server = await serve(env);
      const worker = await children.start(bin, { ...env, REINS_LOG_LEVEL: 'warn' }, READY, ['worker']);
      const client = api(server.url);
      const id = await client.submit({ items: ITEMS, concurrency: 2 });
      const killed = await killMidBatch(client, id, databaseUrl, () => children.kill9(worker.child));
      await children.start(bin, { ...env, REINS_LOG_LEVEL: 'warn' }, READY, ['worker']);
      await expectResumed(client, id, killed);
    }, 90_000);
  },
);
