import type { LoggerLike } from '../telemetry/logger-like.ts';
import {
  type BreakerConfig,
  type BreakerPermit,
  type BreakerStatus,
  type BreakerStore,
  type BreakerTransition,
  createMemoryBreakerStore,
  DEFAULT_BREAKER,
} from './breaker-store.ts';

/**
 * The circuit breaker per `provider/model`, over a `BreakerStore`.
 *
 * Hand-rolled rather than cockatiel@4's `CircuitBreakerPolicy`: cockatiel can express both
 * breakers (`ConsecutiveBreaker`, `SamplingBreaker`, or a custom `IBreaker` combining them) with
 * half-open probes and state events, but it keeps its state inside the policy object and reads
 * `Date.now()` directly. We need the state behind a store interface (so the server can share it
 * across workers through Redis) and an injected clock (tests step through cooldowns without
 * sleeping); with those two requirements the library would be only the ~100-line state machine
 * in `breaker-store.ts`.
 *
 * @example
 * const permit = breaker.acquire('openai/gpt-5.6-luna');
 */
export type CircuitBreaker = {
  acquire(key: string): BreakerPermit | Promise<BreakerPermit>;
  onSuccess(key: string, probe: boolean): void;
  onFailure(key: string, probe: boolean): void;
  release(key: string, probe: boolean): void;
  status(): Promise<Record<string, BreakerStatus>>;
};

export type CircuitBreakerOptions = Partial<BreakerConfig> & { store?: BreakerStore };

export function createCircuitBreaker(
  options: CircuitBreakerOptions | undefined,
  now: () => number,
  logger: LoggerLike | undefined,
): CircuitBreaker {
  const { store = createMemoryBreakerStore(), ...overrides } = options ?? {};
  const config: BreakerConfig = { ...DEFAULT_BREAKER, ...overrides };
  const log = (key: string, transition: BreakerTransition) => {
    if (transition === undefined) return;
    const fields = { event: 'reins.breaker', key, from: transition.from, to: transition.to };
    if (transition.to === 'open') logger?.warn(fields, `circuit ${key} ${transition.to}`);
    else logger?.info(fields, `circuit ${key} ${transition.to}`);
  };
  const storeFailed = (key: string, error: unknown) =>
    logger?.error({ event: 'reins.breaker_store_error', key, error }, 'breaker store failed');
  const report = (key: string, result: BreakerTransition | Promise<BreakerTransition>) => {
    if (result instanceof Promise)
      result.then(
        (transition) => log(key, transition),
        (error: unknown) => storeFailed(key, error),
      );
    else log(key, result);
  };
  return {
    acquire(key) {
      const now0 = now();
      const permit = store.acquire(key, now0, config);
      // Half-open is entered inside acquire: log it there.
      if (!(permit instanceof Promise)) {
        if (permit.allowed && permit.probe) log(key, { from: 'open', to: 'half-open' });
        return permit;
      }
      // A shared store that fails must not fail the call: log, and let it through (fail open).
      return permit.then(
        (resolved) => {
          if (resolved.allowed && resolved.probe) log(key, { from: 'open', to: 'half-open' });
          return resolved;
        },
        (error: unknown): BreakerPermit => {
          storeFailed(key, error);
          return { allowed: true, probe: false };
        },
      );
    },
    onSuccess: (key, probe) => report(key, store.onSuccess(key, now(), config, probe)),
    onFailure: (key, probe) => report(key, store.onFailure(key, now(), config, probe)),
    release: (key, probe) => {
      const result = store.release(key, probe);
      if (result instanceof Promise) result.catch((error: unknown) => storeFailed(key, error));
    },
    status: async () => store.status(now(), config),
  };
}
