import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * The provider answered 429. `retryAfterMs` comes from `retry-after-ms` / `retry-after` when the
 * provider sent them.
 *
 * @example
 * if (RateLimitError.isInstance(error)) await sleep(error.retryAfterMs ?? 1000);
 */
export class RateLimitError extends ReinsError {
  static override readonly errorName: string = 'RateLimitError';
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: ReinsErrorOptions & { retryAfterMs?: number } = {}) {
    super(message, { isRetryable: true, status: 429, ...options });
    this.retryAfterMs = options.retryAfterMs;
  }
}
