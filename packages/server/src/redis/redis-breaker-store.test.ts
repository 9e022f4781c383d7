import { type BreakerStore, createMemoryBreakerStore, DEFAULT_BREAKER } from '@reins/client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, uniqueName } from '../../test/helpers/services.ts';
import { createRedisBreakerStore } from './redis-breaker-store.ts';

const url = redisUrl();

const config = {
  ...DEFAULT_BREAKER,
  failureThreshold: 3,
  cooldownMs: 1_000,
  minimumRequests: 10,
  windowMs: 10_000,
};

describe.skipIf(url === undefined)('createRedisBreakerStore (real Redis)', () => {
  const prefix = uniqueName('reins-breaker-test');
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
  const redisStore = (connection = redis, name = `${++suite}`) =>
    createRedisBreakerStore({ redis: connection, prefix: `${prefix}:${name}`, clock: () => clock });
  /** The same script run on the memory store and on the Redis store. */
  const both = (): Array<[string, BreakerStore]> => [
    ['memory', createMemoryBreakerStore()],
    ['redis', redisStore()],
  ];
  // The memory store reads the `now` argument, the Redis one its injected clock: keep them equal.
  const at = (time: number) => {
    clock = time;
    return time;
  };

  it('opens after consecutive failures, fails fast, lets one probe through after the cooldown', async () => {
    for (const [name, store] of both()) {
      const answers: unknown[] = [];
      for (let index = 0; index < 3; index++) answers.push(await store.onFailure('m', at(0), config, false));
      answers.push(await store.acquire('m', at(500), config));
      answers.push(await store.acquire('m', at(1_000), config));
      answers.push(await store.acquire('m', at(1_001), config)); // one probe at a time
      answers.push(await store.onSuccess('m', at(1_010), config, true));
      answers.push(await store.acquire('m', at(1_011), config));
      expect([name, answers]).toEqual([
        name,
        [
          undefined,
          undefined,
          { from: 'closed', to: 'open' },
          { allowed: false, retryInMs: 500 },
          { allowed: true, probe: true },
          { allowed: false, retryInMs: 999 },
          { from: 'half-open', to: 'closed' },
          { allowed: true, probe: false },
        ],
      ]);
    }
  });

  it('a failed probe opens it again, a released one lets the next request probe; a success resets the count', async () => {
    for (const [name, store] of both()) {
      const answers: unknown[] = [];
      await store.onFailure('m', at(0), config, false);
      await store.onFailure('m', at(0), config, false);
      await store.onSuccess('m', at(0), config, false);
      answers.push(await store.onFailure('m', at(0), config, false));
      await store.onFailure('m', at(0), config, false);
      answers.push(await store.onFailure('m', at(0), config, false));
      answers.push(await store.acquire('m', at(1_000), config));
      await store.release('m', true);
      answers.push(await store.acquire('m', at(1_001), config));
      answers.push(await store.onFailure('m', at(1_002), config, true));
      answers.push(await store.acquire('m', at(1_500), config));
      expect([name, answers]).toEqual([
        name,
        [
          undefined,
          { from: 'closed', to: 'open' },
          { allowed: true, probe: true },
          { allowed: true, probe: true },
          { from: 'half-open', to: 'open' },
          { allowed: false, retryInMs: 502 },
        ],
      ]);
    }
  });

  it('opens on the failure rate over the window, never on old outcomes; status as the memory store', async () => {
    for (const [name, store] of both()) {
      const answers: unknown[] = [];
      for (let index = 0; index < 9; index++) {
        if (index % 2 === 0) await store.onFailure('a', at(index), config, false);
        else await store.onSuccess('a', at(index), config, false);
      }
      answers.push(await store.onSuccess('a', at(9), config, false));
      answers.push(await store.onFailure('a', at(10), config, false));
      for (let index = 0; index < 10; index++) {
        if (index % 2 === 0) await store.onFailure('b', at(index), config, false);
        else await store.onSuccess('b', at(index), config, false);
      }
      answers.push(await store.onFailure('b', at(20_000), config, false));
      answers.push(await store.status(at(20_000), config));
      expect([name, answers]).toEqual([
        name,
        [
          undefined,
          { from: 'closed', to: 'open' },
          undefined,
          {
            a: {
              state: 'open',
              consecutiveFailures: 1,
              windowRequests: 0,
              windowFailures: 0,
              openedAt: 10,
              retryInMs: 0,
            },
            b: {
              state: 'closed',
              consecutiveFailures: 1,
              windowRequests: 1,
              windowFailures: 1,
              openedAt: null,
              retryInMs: null,
            },
          },
        ],
      ]);
    }
  });

  it('is one breaker for every process: one opens it, the other fails fast; exactly one claims the probe', async () => {
    const first = redisStore(redis, 'shared');
    const second = redisStore(other, 'shared');
    for (let index = 0; index < 3; index++) await first.onFailure('m', at(0), config, false);
    expect(await second.acquire('m', at(10), config)).toEqual({ allowed: false, retryInMs: 990 });
    at(1_000);
    const permits = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (index % 2 === 0 ? first : second).acquire('m', 1_000, config),
      ),
    );
    expect(permits.filter((permit) => permit.allowed)).toEqual([{ allowed: true, probe: true }]);
  });

  it('remembers "closed" for closedCacheMs without a round trip; an outcome refreshes or drops it', async () => {
    let local = 0;
    const options = { prefix: `${prefix}:cache`, clock: () => clock, localNow: () => local };
    const first = createRedisBreakerStore({ redis, ...options });
    const second = createRedisBreakerStore({ redis: other, ...options });
    const third = createRedisBreakerStore({ redis: other, ...options });
    expect(await first.acquire('m', at(0), config)).toEqual({ allowed: true, probe: false });
    expect(await third.acquire('m', 0, config)).toEqual({ allowed: true, probe: false });
    // Answered from memory: synchronously.
    expect(first.acquire('m', 0, config)).toEqual({ allowed: true, probe: false });
    // Opened by another process: within the window the first may still admit a call…
    for (let index = 0; index < 3; index++) await second.onFailure('m', 0, config, false);
    expect(first.acquire('m', 0, config)).toEqual({ allowed: true, probe: false });
    // …until its next outcome brings back the state,
    await first.onSuccess('m', at(10), config, false);
    expect(await first.acquire('m', 10, config)).toEqual({ allowed: false, retryInMs: 990 });
    // or the window ends (100 ms on this process's clock).
    local = 100;
    expect(await third.acquire('m', 10, config)).toEqual({ allowed: false, retryInMs: 990 });
  });

  it("uses Redis's clock by default, reports openedAt on the caller's clock, keys expire", async () => {
    const store = createRedisBreakerStore({ redis, prefix: `${prefix}:real`, identity: () => 'acct' });
    for (let index = 0; index < 3; index++) await store.onFailure('openai/gpt-4o', 0, config, false);
    const permit = await store.acquire('openai/gpt-4o', 123_456_789, config);
    expect(permit.allowed).toBe(false);
    expect(permit.allowed ? 0 : permit.retryInMs).toBeGreaterThan(0);
    const status = await store.status(5_000, config);
    expect(status['openai/gpt-4o']?.state).toBe('open');
    // Opened a moment ago, on the caller's clock (5 000).
    expect(status['openai/gpt-4o']?.openedAt).toBeGreaterThan(4_000);
    expect(status['openai/gpt-4o']?.openedAt).toBeLessThanOrEqual(5_000);
    const ttl = await redis.pttl(`${prefix}:real:acct:openai/gpt-4o`);
    expect(ttl).toBeGreaterThan(500_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
  });
});
