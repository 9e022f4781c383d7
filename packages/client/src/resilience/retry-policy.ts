import { RateLimitError } from '../errors/rate-limit-error.ts';
import { classifyFailure, type FailureClass } from './failure-class.ts';

/**
 * Backoff for one failure class. `maxRetries` counts retries of the whole call (attempt − 1).
 *
 * @example
 * { maxRetries: 5, initialDelayMs: 250, maxDelayMs: 10_000 }
 */
export type RetryClassPolicy = { maxRetries?: number; initialDelayMs?: number; maxDelayMs?: number };

/**
 * `retry` in the client config. The top-level numbers apply to every retryable class unless
 * `perClass` overrides them. Only `rateLimit`, `transient` and `interrupted` (streams with
 * `resumeStrategy: 'restart'`) are ever retried; the other classes are listed for completeness
 * and ignore `maxRetries`.
 *
 * @example
 * retry: { maxRetries: 3, initialDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 60_000,
 *          perClass: { rateLimit: { maxRetries: 6 } } }
 */
export type RetryConfig = RetryClassPolicy & {
  /** Longest provider-requested wait (`retry-after-ms` / `retry-after`) honoured; longer gives up. */
  maxRetryAfterMs?: number;
  perClass?: Partial<Record<'rateLimit' | 'transient' | 'interrupted', RetryClassPolicy>>;
};

/** Defaults: 3 retries, 500 ms × 2ⁿ with full jitter, at most 20 s; 429 waits up to 60 s. */
export const DEFAULT_RETRY = {
  maxRetries: 3,
  initialDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

const RETRYABLE: ReadonlySet<FailureClass> = new Set(['rateLimit', 'transient', 'interrupted']);

/**
 * Builds the client's retry decision: per failure class, exponential backoff with full jitter
 * (a uniform wait in [0, min(max, initial × 2^(attempt−1))]); a 429 waits what the provider
 * asked (`retry-after-ms` / `retry-after`) plus a little jitter, up to `maxRetryAfterMs`.
 *
 * @example
 * const decide = createRetryPolicy({ maxRetries: 2 }, Math.random);
 * decide(new RateLimitError('429', { retryAfterMs: 50 }), 1) // ≈ 50–75
 */
export function createRetryPolicy(
  config: RetryConfig = {},
  random: () => number = Math.random,
): (error: unknown, attempt: number) => number | undefined {
  const maxRetryAfterMs = config.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs;
  const policyFor = (failure: FailureClass) => {
    const own = config.perClass?.[failure as 'rateLimit'] ?? {};
    return {
      maxRetries: own.maxRetries ?? config.maxRetries ?? DEFAULT_RETRY.maxRetries,
      initialDelayMs: own.initialDelayMs ?? config.initialDelayMs ?? DEFAULT_RETRY.initialDelayMs,
      maxDelayMs: own.maxDelayMs ?? config.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    };
  };
  return (error, attempt) => {
    const failure = classifyFailure(error);
    if (!RETRYABLE.has(failure)) return undefined;
    const policy = policyFor(failure);
    if (attempt > policy.maxRetries) return undefined;
    if (RateLimitError.isInstance(error) && error.retryAfterMs !== undefined) {
      if (error.retryAfterMs > maxRetryAfterMs) return undefined;
      // A little jitter on top of the provider's wait, so a crowd of waiters does not return at once.
      return error.retryAfterMs + random() * Math.min(policy.initialDelayMs, error.retryAfterMs * 0.5);
    }
    const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
    return random() * ceiling;
  };
}
