import type { LoggerLike } from '../telemetry/logger-like.ts';
import {
  createMemoryLimiterStore,
  type LimiterStore,
  type RateLimitObservation,
  type RateLimits,
} from './limiter-store.ts';

/**
 * RPM + TPM token buckets per `provider/model`, configured (`limits`) or learned from the
 * providers' rate-limit headers (until the first response of a model arrives, its other
 * requests wait for it), tightened on every response's `remaining` figures and paused on
 * a 429. Waiters queue in FIFO order per key; a waiter's signal removes it from the queue.
 *
 * @example
 * const tokens = await limiter.acquire('openai/gpt-4o', 1_200, signal);
 * … send …
 * limiter.settle('openai/gpt-4o', tokens, usage.inputTokens + usage.outputTokens);
 */
export type RateLimiter = {
  /** Resolves (synchronously when nothing waits) to the tokens charged. */
  acquire(key: string, tokens: number, signal?: AbortSignal): number | Promise<number>;
  settle(key: string, charged: number, used: number): void;
  observe(key: string, observation: RateLimitObservation): void;
  onRateLimited(key: string, retryAfterMs: number | undefined): void;
  /** The limits in force for `key` (configured, else learned), if any. */
  limits(key: string): RateLimits | undefined;
};

/** Longest wait for the first response of a model before its other requests go anyway. */
const DISCOVERY_MS = 2_000;

type Waiter = {
  tokens: number;
  resolve: (tokens: number) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
};

export type RateLimiterOptions = {
  limits?: Record<string, RateLimits>;
  store?: LimiterStore;
  /** Learn `rpm` / `tpm` of unconfigured models from response headers (default true). */
  learn?: boolean;
  now: () => number;
  logger?: LoggerLike | undefined;
};

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const store = options.store ?? createMemoryLimiterStore();
  const configured = options.limits ?? {};
  const learned = new Map<string, RateLimits>();
  const queues = new Map<string, Waiter[]>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const now = options.now;
  const limitsOf = (key: string): RateLimits | undefined => configured[key] ?? learned.get(key);
  const seen = new Set<string>();
  const discovering = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const discovered = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    discovering.get(key)?.resolve();
    discovering.delete(key);
  };

  // A shared store that fails (Redis down) must neither hang nor fail the call: log, and go.
  const storeFailed = (key: string, error: unknown) =>
    options.logger?.error({ event: 'reins.limiter_store_error', key, error }, 'limiter store failed');
  const quietly = (key: string, result: void | Promise<void>) => {
    if (result instanceof Promise) result.catch((error: unknown) => storeFailed(key, error));
  };
  const take = (key: string, tokens: number, limits: RateLimits): number | Promise<number> => {
    const wait = store.take(key, tokens, now(), limits);
    if (!(wait instanceof Promise)) return wait;
    return wait.catch((error: unknown) => {
      storeFailed(key, error);
      return 0;
    });
  };

  const pumping = new Set<string>();
  const schedule = (key: string, wait: number) => {
    if (timers.has(key)) return;
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void pump(key);
      }, wait),
    );
  };
  // Serves the head of `key`'s queue whenever the store has room; one pump per key at a time.
  const pump = async (key: string): Promise<void> => {
    if (pumping.has(key)) return;
    pumping.add(key);
    try {
      const queue = queues.get(key);
      while (queue !== undefined && queue.length > 0) {
        const head = queue[0]!;
        const limits = limitsOf(key);
        const wait = limits === undefined ? 0 : await take(key, head.tokens, limits);
        if (wait > 0) {
          schedule(key, wait);
          return;
        }
        queue.shift();
        head.signal?.removeEventListener('abort', head.onAbort);
        head.resolve(head.tokens);
      }
      queues.delete(key);
    } finally {
      pumping.delete(key);
    }
  };
  const enqueue = (key: string, tokens: number, signal: AbortSignal | undefined, wait: number) =>
    new Promise<number>((resolve, reject) => {
      let queue = queues.get(key);
      if (queue === undefined) {
        queue = [];
        queues.set(key, queue);
      }
      const waiting = queue;
      const waiter: Waiter = {
        tokens,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = waiting.indexOf(waiter);
          if (index >= 0) waiting.splice(index, 1);
          reject(signal?.reason);
        },
      };
      waiting.push(waiter);
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      schedule(key, wait);
    });

  const limiter: RateLimiter = {
    acquire(key, tokens, signal) {
      const limits = limitsOf(key);
      if (limits === undefined) {
        if (options.learn === false || seen.has(key)) return tokens;
        // Nothing known yet: the first request goes alone, and the others wait for its response
        // headers (or its end), so a burst does not hit an account limit we could have read.
        const pending = discovering.get(key);
        if (pending === undefined) {
          let resolve!: () => void;
          discovering.set(key, { promise: new Promise<void>((done) => (resolve = done)), resolve });
          // A first request that hangs must not hold the others for long.
          setTimeout(() => discovered(key), DISCOVERY_MS).unref?.();
          return tokens;
        }
        return new Promise<number>((resolve, reject) => {
          const onAbort = () => reject(signal?.reason);
          signal?.addEventListener('abort', onAbort, { once: true });
          void pending.promise.then(() => {
            signal?.removeEventListener('abort', onAbort);
            if (signal?.aborted) return;
            Promise.resolve(limiter.acquire(key, tokens, signal)).then(resolve, reject);
          });
        });
      }
      signal?.throwIfAborted();
      // Someone is already waiting: queue behind them (FIFO).
      if (queues.has(key)) return enqueue(key, tokens, signal, 0);
      const wait = take(key, tokens, limits);
      if (wait instanceof Promise)
        return wait.then((delay) => (delay === 0 ? tokens : enqueue(key, tokens, signal, delay)));
      return wait === 0 ? tokens : enqueue(key, tokens, signal, wait);
    },
    settle(key, charged, used) {
      discovered(key);
      const limits = limitsOf(key);
      if (limits?.tpm === undefined || charged === used) return;
      quietly(key, store.refund(key, charged - used, now(), limits));
    },
    observe(key, observation) {
      if (configured[key] === undefined && options.learn !== false) {
        const previous = learned.get(key);
        const rpm = observation.limitRequests ?? previous?.rpm;
        const tpm = observation.limitTokens ?? previous?.tpm;
        if (rpm !== previous?.rpm || tpm !== previous?.tpm) {
          const limits: RateLimits = {
            ...(rpm !== undefined ? { rpm } : {}),
            ...(tpm !== undefined ? { tpm } : {}),
          };
          learned.set(key, limits);
          options.logger?.info({ event: 'reins.limits_learned', key, ...limits }, `learned limits of ${key}`);
        }
      }
      const limits = limitsOf(key);
      if (limits !== undefined) quietly(key, store.observe(key, observation, now(), limits));
      discovered(key);
    },
    onRateLimited(key, retryAfterMs) {
      // Unknown limits still honour the pause: an empty entry routes acquire through the store.
      if (limitsOf(key) === undefined) learned.set(key, {});
      const at = now();
      quietly(key, store.pause(key, at + (retryAfterMs ?? 1_000), at));
    },
    limits: limitsOf,
  };
  return limiter;
}
