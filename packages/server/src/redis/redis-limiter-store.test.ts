import { createMemoryLimiterStore, type LimiterStore } from '@reins/client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, uniqueName } from '../../test/helpers/services.ts';
import { createRedisLimiterStore } from './redis-limiter-store.ts';

const url = redisUrl();

describe.skipIf(url === undefined)('createRedisLimiterStore (real Redis)', () => {
  const prefix = uniqueName('reins-limiter-test');
  let redis: Redis;
  let other: Redis;
  let clock = 0;

  beforeAll(() => {
    redis = new Redis(url!);
    other = new Redis(url!);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    other.disconnect();
  });

  let suite = 0;
  /** The memory store and the Redis store (own prefix per test), both on the test's clock. */
  const stores = (slackMs: number): Array<[string, LimiterStore]> => {
    suite += 1;
    return [
      ['memory', createMemoryLimiterStore({ slackMs })],
      [
        'redis',
        createRedisLimiterStore({ redis, prefix: `${prefix}:${suite}`, slackMs, clock: () => clock }),
      ],
    ];
  };

  it('answers exactly as the memory store: refill, token weight, refunds, oversized requests, pauses', async () => {
    for (const [name, store] of stores(0)) {
      clock = 0;
      const limits = { rpm: 2, tpm: 1_000 };
      const answers: unknown[] = [];
      answers.push(await store.take('m', 400, clock, limits));
      answers.push(await store.take('m', 400, clock, limits));
      answers.push(await store.take('m', 100, clock, limits)); // no request token: 30 s
      clock = 30_000;
      answers.push(await store.take('m', 100, clock, limits));
      clock = 0;
      const tokens = { rpm: 1_000, tpm: 1_000 };
      answers.push(await store.take('t', 900, clock, tokens));
      answers.push(await store.take('t', 900, clock, tokens)); // 800 more at 1,000/min: 48 s
      await store.refund('t', 400, clock, tokens);
      answers.push(await store.take('t', 900, clock, tokens)); // 24 s
      clock = 30_000;
      answers.push(await store.take('t', 5_000, clock, tokens)); // larger than the bucket, full: goes
      await store.pause('m', 70_000, 30_000);
      clock = 65_000;
      answers.push(await store.take('m', 1, clock, limits)); // paused 5 s more
      // A pause on a model never seen starts it empty.
      await store.pause('fresh', 66_000, 65_000);
      answers.push(await store.take('fresh', 0, clock, limits));
      expect([name, answers]).toEqual([name, [0, 0, 30_000, 0, 0, 48_000, 24_000, 0, 5_000, 1_000]]);
    }
  });

  it('keeps the slack reserve and tightens to what the provider reports remaining', async () => {
    for (const [name, store] of stores(1_000)) {
      clock = 0;
      const answers: unknown[] = [];
      for (let index = 0; index < 59; index++) answers.push(await store.take('m', 0, clock, { rpm: 60 }));
      answers.push(await store.take('m', 0, clock, { rpm: 60 }));
      await store.observe('o', { remainingRequests: 0, remainingTokens: 10 }, clock, { rpm: 100, tpm: 100 });
      // No request left, and the reserve is 1.67 requests: (1 + 1.67) × 600 ms.
      answers.push(await store.take('o', 0, clock, { rpm: 100, tpm: 100 }));
      // Redis answers whole ms, the memory store exact ones.
      expect([name, answers.slice(58).map((answer) => Math.round(answer as number))]).toEqual([
        name,
        [0, 1_000, 1_600],
      ]);
      expect(answers.slice(0, 59).every((answer) => answer === 0)).toBe(true);
    }
  });

  it('learns a limit after a pause on an unlimited model, and an unlimited dimension never waits', async () => {
    for (const [name, store] of stores(0)) {
      clock = 0;
      const answers: unknown[] = [];
      answers.push(await store.take('u', 10_000_000, clock, {}));
      answers.push(await store.take('u', 10_000_000, clock, { tpm: 100 }));
      answers.push(await store.take('r', 1_000_000, clock, { rpm: 1 }));
      answers.push(await store.take('r', 0, clock, { rpm: 1 }));
      expect([name, answers]).toEqual([name, [0, 0, 0, 60_000]]);
    }
  });

  it('is one bucket for every process on the same Redis (two connections, one budget)', async () => {
    clock = 0;
    const shared = `${prefix}:shared`;
    const first = createRedisLimiterStore({ redis, prefix: shared, slackMs: 0, clock: () => clock });
    const second = createRedisLimiterStore({ redis: other, prefix: shared, slackMs: 0, clock: () => clock });
    const limits = { rpm: 10 };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? first : second).take('m', 0, 0, limits)),
    );
    expect(answers.filter((answer) => answer === 0)).toHaveLength(10);
    // Another account (identity) on the same Redis has its own bucket.
    const otherAccount = createRedisLimiterStore({
      redis: other,
      prefix: shared,
      slackMs: 0,
      clock: () => clock,
      identity: () => 'b7c1',
    });
    expect(await otherAccount.take('m', 0, 0, limits)).toBe(0);
  });

  it('uses the Redis clock by default and lets an idle bucket expire', async () => {
    const store = createRedisLimiterStore({ redis, prefix: `${prefix}:ttl`, identity: () => 'acct' });
    expect(await store.take('openai/gpt-4o', 10, 0, { rpm: 600, tpm: 10_000 })).toBe(0);
    const key = `${prefix}:ttl:acct:openai/gpt-4o`;
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(61_000);
    await store.pause('openai/gpt-4o', 120_000, 0);
    expect(await redis.pttl(key)).toBeGreaterThan(180_000);
    // Paused: the wait is the pause's remainder on Redis's clock, whatever the caller's clock says.
    const wait = await store.take('openai/gpt-4o', 10, 987_654_321, { rpm: 600, tpm: 10_000 });
    expect(wait).toBeGreaterThan(100_000);
    expect(wait).toBeLessThanOrEqual(120_000);
  });
});
