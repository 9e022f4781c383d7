import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTaskQueries, openStore } from '@reins/store';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PROMPTS_DIR } from '../src/testing/create-test-deps.ts';
import { childProcesses } from './helpers/child-process.ts';
import { eventually, postgresUrl, redisUrl, silentStoreLogger, uniqueName } from './helpers/services.ts';

/*
 * The real commands, as `npm start` and the Dockerfile run them: `node packages/cli/src/bin.ts
 * serve|worker`, configured by environment only. Durability is tested the hard way: SIGKILL.
 */
const bin = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));
const KEY = 'compose-key-0123456789abcdef';
const children = childProcesses();
afterAll(() => children.killAll());

const READY = /reins (serve|worker): /;

async function serve(env: Record<string, string>) {
  const started = await children.start(bin, { REINS_PORT: '0', REINS_LOG_LEVEL: 'warn', ...env }, READY, [
    'serve',
  ]);
  const url = /API on (http:\/\/\S+) /.exec(started.output())![1]!;
  return { ...started, url };
}

function api(url: string) {
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  return {
    async submit(prompt: string) {
      const response = await fetch(`${url}/v1/tasks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ kind: 'generate', input: { prompt, maxTokens: 60 } }),
      });
      expect(response.status).toBe(202);
      return ((await response.json()) as { id: string }).id;
    },
    async task(id: string) {
      const response = await fetch(`${url}/v1/tasks/${id}`, { headers });
      return (await response.json()) as { status: string; attempts: number; result: { simulated: boolean } };
    },
  };
}

async function allSettled(client: ReturnType<typeof api>, ids: string[], timeoutMs = 40_000) {
  return eventually(
    async () => {
      const tasks = await Promise.all(ids.map((id) => client.task(id)));
      return tasks.every((task) => !['queued', 'running'].includes(task.status)) ? tasks : undefined;
    },
    timeoutMs,
    200,
  );
}

describe('reins serve with the default queue', () => {
  const database = join(tmpdir(), `${uniqueName('reins-serve')}.db`);
  afterAll(() => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
  });
  const env = {
    DATABASE_URL: `sqlite:${database}`,
    // Empty is unset: the test runner's REDIS_URL must not switch this server to BullMQ.
    REDIS_URL: '',
    REINS_PROMPTS_DIR: EXAMPLE_PROMPTS_DIR,
    REINS_API_KEYS: `ops:${KEY}`,
    REINS_SIMULATOR_PROFILE: 'realistic',
    REINS_QUEUE_CONCURRENCY: '2',
    REINS_TASK_LEASE_MS: '1000',
  };

  it('serves /health and the docs, and loses no task to kill -9', async () => {
    const first = await serve(env);
    expect(await (await fetch(`${first.url}/health`)).json()).toMatchObject({
      status: 'ok',
      simulated: true,
    });
    expect((await fetch(`${first.url}/openapi.json`)).status).toBe(200);
    const client = api(first.url);
    const ids = await Promise.all(Array.from({ length: 6 }, (_, index) => client.submit(`Task ${index}`)));
    await eventually(async () => {
      const tasks = await Promise.all(ids.map((id) => client.task(id)));
      return tasks.some((task) => task.status === 'running') ? true : undefined;
    }, 10_000);
    await children.kill9(first.child);

    const second = await serve(env);
    const tasks = await allSettled(api(second.url), ids);
    expect(tasks.map((task) => task.status)).toEqual(Array(6).fill('succeeded'));
    expect(tasks.some((task) => task.attempts === 2)).toBe(true);
    expect(tasks[0]!.result.simulated).toBe(true);
    await children.stop(second.child);
    expect(second.child.exitCode).toBe(0);
  });
});

const redis = redisUrl();
const postgres = postgresUrl();

describe.skipIf(redis === undefined || postgres === undefined)(
  'reins serve + two reins worker on Redis',
  () => {
    const schema = uniqueName('reins_workers');
    const prefix = uniqueName('reins-e2e');
    const databaseUrl = `${postgres}?schema=${schema}`;
    // The compose file's settings: bound to every interface, so keys are required.
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis!,
      REINS_QUEUE_PREFIX: prefix,
      REINS_HOST: '0.0.0.0',
      REINS_API_KEYS: `ops:${KEY}`,
      REINS_PROMPTS_DIR: EXAMPLE_PROMPTS_DIR,
      REINS_SIMULATOR_PROFILE: 'realistic',
      REINS_QUEUE_CONCURRENCY: '2',
      REINS_TASK_LEASE_MS: '1000',
    };

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

    it('runs tasks on the workers, and loses none when one is killed with SIGKILL', async () => {
      const server = await serve(env);
      const workerA = await children.start(bin, { ...env, REINS_LOG_LEVEL: 'warn' }, READY, ['worker']);
      await children.start(bin, { ...env, REINS_LOG_LEVEL: 'warn' }, READY, ['worker']);
      const workerIdA = /reins worker: (\S+)/.exec(workerA.output())![1]!;
      const client = api(server.url);
      const ids = await Promise.all(Array.from({ length: 8 }, (_, index) => client.submit(`Task ${index}`)));

      const store = await openStore({ url: databaseUrl, logger: silentStoreLogger });
      const tasks = createTaskQueries({ db: store.db, dialect: store.dialect });
      try {
        await eventually(async () => {
          const running = await tasks.list({ status: 'running' });
          return running.items.some((task) => task.workerId === workerIdA) ? true : undefined;
        }, 15_000);
        await children.kill9(workerA.child);
        const settled = await allSettled(client, ids);
        expect(settled.map((task) => task.status)).toEqual(Array(8).fill('succeeded'));
        const stored = await Promise.all(ids.map((id) => tasks.get(id)));
        expect(stored.some((task) => task!.attempts === 2)).toBe(true);
        expect(new Set(stored.map((task) => task!.workerId)).size).toBeGreaterThanOrEqual(1);
        expect(stored.every((task) => task!.workerId !== workerIdA)).toBe(true);
      } finally {
        await store.close();
      }
    });
  },
);
