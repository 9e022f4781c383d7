import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createTestDeps, type TestDeps } from '../src/testing/create-test-deps.ts';
import { redisUrl, uniqueName } from './helpers/services.ts';
import { ALICE_KEY, BOB_KEY, TWO_KEYS } from './helpers/test-app.ts';

const redis = redisUrl();

describe.skipIf(redis === undefined)('per-key rate limit shared by two API servers through Redis', () => {
  const prefix = uniqueName('reins-rl');
  const running: Array<{ app: FastifyInstance; deps: TestDeps }> = [];

  afterAll(async () => {
    for (const { app, deps } of running) {
      await app.close();
      await deps.close();
    }
    const client = new Redis(redis!);
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });

  it('counts a key across servers, and keys apart', async () => {
    for (let index = 0; index < 2; index++) {
      const deps = await createTestDeps({
        env: { ...TWO_KEYS, REDIS_URL: redis!, REINS_QUEUE_PREFIX: prefix, REINS_RATE_LIMIT_PER_MINUTE: '3' },
      });
      // Connected before the first request: one that raced the connection used to get a 500.
      expect(deps.redis?.status).toBe('ready');
      running.push({ app: await createApp(deps), deps });
    }
    const send = (server: number, key: string) =>
      running[server]!.app.inject({
        method: 'GET',
        url: '/v1/prompts',
        headers: { authorization: `Bearer ${key}` },
      });
    const statuses = [];
    for (const server of [0, 1, 0, 1]) statuses.push((await send(server, ALICE_KEY)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await send(1, BOB_KEY)).statusCode).toBe(200);
  });
});
