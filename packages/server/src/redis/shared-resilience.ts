import {
  type BreakerStore,
  createMemoryBreakerStore,
  createMemoryLimiterStore,
  type LimiterStore,
  type ProviderConfig,
} from '@reins/client';
import { Redis } from 'ioredis';
import { failOpenBreakerStore, failOpenLimiterStore, sharedStateHealth } from './fail-open-stores.ts';
import { providerIdentities } from './provider-identities.ts';
import { createRedisBreakerStore } from './redis-breaker-store.ts';
import { createRedisLimiterStore } from './redis-limiter-store.ts';

type Logger = {
  warn(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
};

export type SharedResilienceOptions = {
  redisUrl: string;
  /** Key prefix (the queue's, e.g. `reins`): buckets under `<prefix>:limits:…`, breakers under `<prefix>:breaker:…`. */
  prefix: string;
  /** The client's providers: their keys and endpoints name the accounts (hashed). */
  providers: Record<string, ProviderConfig>;
  logger?: Logger | undefined;
  /** Called for every limiter or breaker call served locally because Redis was unavailable. */
  onFallback?: (store: 'limiter' | 'breaker') => void;
};

export type SharedResilience = {
  /** For `createClient({ limiter: { store } })`. */
  limiter: LimiterStore;
  /** For `createClient({ breaker: { store } })`. */
  breaker: BreakerStore;
  close(): Promise<void>;
};

/**
 * The client's rate-limit buckets and circuit breakers in Redis, so every `reins serve` and
 * `reins worker` on the same Redis stays, together, under each account's limits, and sees one
 * breaker per model. Its own connection (BullMQ's blocks), auto-pipelined, with no offline queue;
 * a call waits at most 1 s for Redis: when Redis is down or slow, each call falls back to this
 * process's memory (fail open, one warning line, `onFallback` per call) rather than failing or
 * waiting, and after a timeout calls stay local for 5 s before Redis is tried again.
 *
 * @example
 * const shared = await createSharedResilience({ redisUrl, prefix: 'reins', providers });
 * const client = createClient({ providers, limiter: { store: shared.limiter }, breaker: { store: shared.breaker } });
 */
export async function createSharedResilience(options: SharedResilienceOptions): Promise<SharedResilience> {
  const redis = new Redis(options.redisUrl, {
    // Concurrent calls' scripts leave in one write (order per connection is kept).
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
  });
  // Connection errors are reported once by the health tracker, on the first call that meets them.
  redis.on('error', () => {});
  const health = sharedStateHealth(redis, {
    logger: options.logger,
    ...(options.onFallback === undefined ? {} : { onFallback: options.onFallback }),
  });
  // Start on shared state once Redis answers; refused or silent past 2.5 s: start local (logged).
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, 2_500);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    }
    if (redis.status === 'ready') return done();
    redis.once('ready', done);
    redis.once('error', done);
  });
  if (redis.status !== 'ready') health.markDown();
  const identities = providerIdentities(options.providers);
  const identity = (key: string) => identities[key.slice(0, key.indexOf('/'))] ?? 'default';
  return {
    limiter: failOpenLimiterStore(
      createRedisLimiterStore({ redis, prefix: `${options.prefix}:limits`, identity }),
      createMemoryLimiterStore(),
      health,
    ),
    breaker: failOpenBreakerStore(
      createRedisBreakerStore({ redis, prefix: `${options.prefix}:breaker`, identity }),
      createMemoryBreakerStore(),
      health,
    ),
    async close() {
      redis.disconnect();
    },
  };
}
