import {
  createMemoryBreakerStore,
  createMemoryLimiterStore,
  DEFAULT_BREAKER,
  type LimiterStore,
} from '@reins/client';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { redisUrl, uniqueName } from '../../test/helpers/services.ts';
import { failOpenBreakerStore, failOpenLimiterStore, sharedStateHealth } from './fail-open-stores.ts';
import { createRedisBreakerStore } from './redis-breaker-store.ts';
import { createRedisLimiterStore } from './redis-limiter-store.ts';
import { createSharedResilience } from './shared-resilience.ts';

const url = redisUrl();

function recorder() {
  const lines: Array<Record<string, unknown>> = [];
  const push = (fields: object) => lines.push(fields as Record<string, unknown>);
  return { lines, logger: { warn: push, info: push } };
}

describe.skipIf(url === undefined)('fail-open shared stores (real Redis)', () => {
  const prefix = uniqueName('reins-failopen-test');
  const cleanup = new Redis(url!);
  afterAll(async () => {
    const keys = await cleanup.keys(`${prefix}*`);
    if (keys.length > 0) await cleanup.del(...keys);
    cleanup.disconnect();
  });

  it('uses Redis while it is up; when the connection is lost, falls back to memory: one warning, a count per call', async () => {
    const redis = new Redis(url!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await new Promise((resolve) => redis.once('ready', resolve));
    const { lines, logger } = recorder();
    const fallbacks: string[] = [];
    const health = sharedStateHealth(redis, { logger, onFallback: (store) => fallbacks.push(store) });
    const limiter = failOpenLimiterStore(
      createRedisLimiterStore({ redis, prefix, identity: () => 'acct', slackMs: 0 }),
      createMemoryLimiterStore({ slackMs: 0 }),
      health,
    );
    const breaker = failOpenBreakerStore(
      createRedisBreakerStore({ redis, prefix: `${prefix}:breaker` }),
      createMemoryBreakerStore(),
      health,
    );
    const limits = { rpm: 1 };
    expect(await limiter.take('openai/m', 0, 0, limits)).toBe(0);
    expect(await cleanup.exists(`${prefix}:acct:openai/m`)).toBe(1);
    // The shared bucket is empty now…
    expect(await limiter.take('openai/m', 0, 0, limits)).toBeGreaterThan(0);
    redis.disconnect();
    // …but Redis is gone: the local bucket (full) serves, nothing throws or hangs.
    expect(await limiter.take('openai/m', 0, 0, limits)).toBe(0);
    expect(await limiter.take('openai/m', 0, 0, limits)).toBe(60_000);
    await limiter.refund('openai/m', 1, 0, limits);
    expect(await breaker.acquire('openai/m', 0, DEFAULT_BREAKER)).toEqual({ allowed: true, probe: false });
    expect(await breaker.onFailure('openai/m', 0, DEFAULT_BREAKER, false)).toBeUndefined();
    expect(fallbacks).toEqual(['limiter', 'limiter', 'limiter', 'breaker', 'breaker']);
    expect(lines.map((line) => line['event'])).toEqual(['reins.shared_state_unavailable']);
  });

  it('falls back when a Redis call fails while connected, and logs the error', async () => {
    const redis = new Redis(url!);
    await new Promise((resolve) => redis.once('ready', resolve));
    const { lines, logger } = recorder();
    const failing: LimiterStore = {
      take: async () => {
        throw new Error('ERR script failed');
      },
      refund: async () => {},
      observe: async () => {},
      pause: async () => {},
    };
    const limiter = failOpenLimiterStore(
      failing,
      createMemoryLimiterStore(),
      sharedStateHealth(redis, { logger }),
    );
    expect(await limiter.take('m', 0, 0, { rpm: 10 })).toBe(0);
    expect(lines).toMatchObject([{ event: 'reins.shared_state_unavailable', store: 'limiter' }]);
    expect(String(lines[0]?.['err'])).toContain('script failed');
    redis.disconnect();
  });

  it('a Redis call that hangs falls back after timeoutMs; the next calls stay local for restMs', async () => {
    const redis = new Redis(url!);
    await new Promise((resolve) => redis.once('ready', resolve));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    try {
      let clock = 0;
      const { lines, logger } = recorder();
      let sharedCalls = 0;
      const hung: LimiterStore = {
        take: () => {
          sharedCalls += 1;
          return new Promise<number>(() => {});
        },
        refund: async () => {},
        observe: async () => {},
        pause: async () => {},
      };
      const health = sharedStateHealth(redis, { logger, timeoutMs: 1_000, restMs: 5_000, now: () => clock });
      const limiter = failOpenLimiterStore(hung, createMemoryLimiterStore(), health);
      const first = limiter.take('m', 0, 0, { rpm: 10 }) as Promise<number>;
      await vi.advanceTimersByTimeAsync(1_000);
      // The timer gives pending I/O one more loop turn (setImmediate) before it gives up.
      await vi.advanceTimersByTimeAsync(1);
      expect(await first).toBe(0);
      expect(lines).toMatchObject([{ event: 'reins.shared_state_unavailable', store: 'limiter' }]);
      expect(String(lines[0]?.['err'])).toContain('did not answer within 1000 ms');
      // Resting: local at once, Redis not asked.
      clock = 4_999;
      expect(await limiter.take('m', 0, 0, { rpm: 10 })).toBe(0);
      expect(sharedCalls).toBe(1);
      clock = 5_000;
      void limiter.take('m', 0, 0, { rpm: 10 });
      expect(sharedCalls).toBe(2);
    } finally {
      vi.useRealTimers();
      redis.disconnect();
    }
  });

  it('createSharedResilience starts local (with a warning) when Redis cannot be reached, and never throws', async () => {
    const { lines, logger } = recorder();
    const fallbacks: string[] = [];
    const shared = await createSharedResilience({
      redisUrl: 'redis://127.0.0.1:1',
      prefix,
      providers: { openai: { apiKey: 'sk-test' } },
      logger,
      onFallback: (store) => fallbacks.push(store),
    });
    expect(await shared.limiter.take('openai/m', 0, 0, { rpm: 2 })).toBe(0);
    expect(await shared.limiter.take('openai/m', 0, 0, { rpm: 2 })).toBeGreaterThan(0);
    expect(await shared.breaker.acquire('openai/m', 0, DEFAULT_BREAKER)).toEqual({
      allowed: true,
      probe: false,
    });
    expect(lines.map((line) => line['event'])).toEqual(['reins.shared_state_unavailable']);
    expect(fallbacks).toEqual(['limiter', 'limiter', 'breaker']);
    await shared.close();
  });

  it('createSharedResilience on a live Redis shares buckets under hashed account keys, never the API key', async () => {
    const providers = { openai: { apiKey: 'sk-secret-key-123' } };
    const first = await createSharedResilience({ redisUrl: url!, prefix, providers });
    // rpm 2 with the default 250 ms reserve: the first goes, the second waits.
    const second = await createSharedResilience({ redisUrl: url!, prefix, providers });
    expect(await first.limiter.take('openai/m', 0, 0, { rpm: 2 })).toBe(0);
    expect(await second.limiter.take('openai/m', 0, 0, { rpm: 2 })).toBeGreaterThan(0);
    const keys = await cleanup.keys(`${prefix}:limits:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${prefix}:limits:[0-9a-f]{16}:openai/m$`));
    expect(keys[0]).not.toContain('sk-secret');
    // Another key, another account: its own bucket.
    const other = await createSharedResilience({
      redisUrl: url!,
      prefix,
      providers: { openai: { apiKey: 'sk-b' } },
    });
    expect(await other.limiter.take('openai/m', 0, 0, { rpm: 2 })).toBe(0);
    await Promise.all([first.close(), second.close(), other.close()]);
  });
});
