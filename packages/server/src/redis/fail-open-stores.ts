import type { BreakerStore, LimiterStore } from '@reins/client';
import type { Redis } from 'ioredis';

export type SharedStateHealth = {
  /** True while the connection is up and not resting after a timeout; else calls go local. */
  usable(): boolean;
  /** How long a Redis call may take before the call goes local (ms). */
  readonly timeoutMs: number;
  /** A call was served locally (`error`: why, when a Redis call failed or timed out). */
  fellBack(store: 'limiter' | 'breaker', error?: unknown): void;
  /** A Redis call answered: ends an outage (logged once). */
  answered(): void;
  /** Redis is known to be unavailable (at start-up): log it once, count nothing. */
  markDown(): void;
};

type Logger = { warn(fields: object, message?: string): void; info(fields: object, message?: string): void };

/** A Redis call that took longer than `timeoutMs`. */
export class SharedStateTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'SharedStateTimeoutError';
  }
}

export type SharedStateHealthOptions = {
  logger?: Logger | undefined;
  onFallback?: (store: 'limiter' | 'breaker') => void;
  /** Default 1 000. */
  timeoutMs?: number;
  /** After a timeout, calls stay local this long before Redis is tried again (default 5 000). */
  restMs?: number;
  now?: () => number;
};

/**
 * Tracks whether Redis can serve the shared limiter and breaker. One warning line when it goes
 * away (`reins.shared_state_unavailable`), one when it is back (`reins.shared_state_restored`);
 * `onFallback` counts every call served locally (the server's metric). A call that times out
 * sends the next `restMs` of calls straight to memory, so a hung Redis costs one timeout per rest,
 * not one per call.
 *
 * @example
 * const health = sharedStateHealth(redis, { logger, onFallback: (store) => counter.inc({ store }) });
 */
export function sharedStateHealth(redis: Redis, options: SharedStateHealthOptions = {}): SharedStateHealth {
  const now = options.now ?? Date.now;
  const restMs = options.restMs ?? 5_000;
  let down = false;
  let restUntil = 0;
  const restored = () => {
    if (!down) return;
    down = false;
    options.logger?.info(
      { event: 'reins.shared_state_restored' },
      'Redis is back: rate limits and breaker state are shared again',
    );
  };
  redis.on('ready', restored);
  const markDown = (fields: object) => {
    if (down) return;
    down = true;
    options.logger?.warn(
      { event: 'reins.shared_state_unavailable', ...fields },
      'Redis unavailable: rate limits and breaker state are local to this process until it is back',
    );
  };
  return {
    usable: () => redis.status === 'ready' && (restUntil === 0 || now() >= restUntil),
    timeoutMs: options.timeoutMs ?? 1_000,
    fellBack(store, error) {
      options.onFallback?.(store);
      if (error instanceof SharedStateTimeoutError) restUntil = now() + restMs;
      markDown({ store, err: error });
    },
    answered() {
      restUntil = 0;
      restored();
    },
    markDown: () => markDown({}),
  };
}

/**
 * Rejects with `SharedStateTimeoutError` when `promise` has not settled within `timeoutMs`. When
 * the timer fires, pending I/O gets one more loop turn first: after the event loop was blocked,
 * timers run before I/O, and a reply already in the socket would otherwise count as a timeout.
 */
function withTimeout<Result>(promise: Promise<Result>, timeoutMs: number): Promise<Result> {
  return new Promise<Result>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (settled) return;
          settled = true;
          reject(new SharedStateTimeoutError(timeoutMs));
        }),
      timeoutMs,
    );
    promise.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Runs `shared` while Redis is usable, else (and on any Redis error or timeout) `local`: the
 * limiter and the breaker fail open to this process's memory instead of failing or hanging the
 * call. While Redis is down, N workers each allow the full limit (documented in docs/server.md).
 */
function failOpen<Result>(
  health: SharedStateHealth,
  store: 'limiter' | 'breaker',
  shared: () => Result | Promise<Result>,
  local: () => Result | Promise<Result>,
): Result | Promise<Result> {
  if (!health.usable()) {
    health.fellBack(store);
    return local();
  }
  const fallBack = (error: unknown) => {
    health.fellBack(store, error);
    return local();
  };
  try {
    const result = shared();
    // A synchronous answer (the breaker's remembered "closed") stays synchronous.
    if (!(result instanceof Promise)) return result;
    return withTimeout(result, health.timeoutMs).then((value) => {
      health.answered();
      return value;
    }, fallBack);
  } catch (error) {
    return fallBack(error);
  }
}

/**
 * A limiter store that uses `shared` (Redis) and fails open to `local` (memory).
 *
 * @example
 * const store = failOpenLimiterStore(createRedisLimiterStore({ redis, prefix }), createMemoryLimiterStore(), health);
 */
export function failOpenLimiterStore(
  shared: LimiterStore,
  local: LimiterStore,
  health: SharedStateHealth,
): LimiterStore {
  return {
    take: (key, tokens, now, limits) =>
      failOpen(
        health,
        'limiter',
        () => shared.take(key, tokens, now, limits),
        () => local.take(key, tokens, now, limits),
      ),
    refund: (key, tokens, now, limits) =>
      failOpen(
        health,
        'limiter',
        () => shared.refund(key, tokens, now, limits),
        () => local.refund(key, tokens, now, limits),
      ),
    observe: (key, observation, now, limits) =>
      failOpen(
        health,
        'limiter',
        () => shared.observe(key, observation, now, limits),
        () => local.observe(key, observation, now, limits),
      ),
    pause: (key, until, now) =>
      failOpen(
        health,
        'limiter',
        () => shared.pause(key, until, now),
        () => local.pause(key, until, now),
      ),
  };
}

/**
 * A breaker store that uses `shared` (Redis) and fails open to `local` (memory).
 *
 * @example
 * const store = failOpenBreakerStore(createRedisBreakerStore({ redis, prefix }), createMemoryBreakerStore(), health);
 */
export function failOpenBreakerStore(
  shared: BreakerStore,
  local: BreakerStore,
  health: SharedStateHealth,
): BreakerStore {
  return {
    acquire: (key, now, config) =>
      failOpen(
        health,
        'breaker',
        () => shared.acquire(key, now, config),
        () => local.acquire(key, now, config),
      ),
    onSuccess: (key, now, config, probe) =>
      failOpen(
        health,
        'breaker',
        () => shared.onSuccess(key, now, config, probe),
        () => local.onSuccess(key, now, config, probe),
      ),
    onFailure: (key, now, config, probe) =>
      failOpen(
        health,
        'breaker',
        () => shared.onFailure(key, now, config, probe),
        () => local.onFailure(key, now, config, probe),
      ),
    release: (key, probe) =>
      failOpen(
        health,
        'breaker',
        () => shared.release(key, probe),
        () => local.release(key, probe),
      ),
    status: (now, config) =>
      failOpen(
        health,
        'breaker',
        () => shared.status(now, config),
        () => local.status(now, config),
      ),
  };
}
