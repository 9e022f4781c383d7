import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * Which limit fired: the caller's whole-call deadline, the wait for the first token, a stall, or
 * the SDK's transport timeout (`request`).
 *
 * @example
 * if (TimeoutError.isInstance(error) && error.limit === 'idle') console.warn('stream stalled');
 */
export type TimeoutLimit = 'total' | 'firstToken' | 'idle' | 'request';

/**
 * A time limit fired. First-token and idle timeouts are retryable (the next attempt may be
 * faster); the total deadline is not.
 *
 * @example
 * if (TimeoutError.isInstance(error)) console.warn(`${error.limit} of ${error.timeoutMs} ms fired`);
 */
export class TimeoutError extends ReinsError {
  static override readonly errorName: string = 'TimeoutError';
  readonly limit: TimeoutLimit;
  readonly timeoutMs: number | undefined;

  constructor(message: string, options: ReinsErrorOptions & { limit: TimeoutLimit; timeoutMs?: number }) {
    super(message, { isRetryable: options.limit !== 'total', ...options });
    this.limit = options.limit;
    this.timeoutMs = options.timeoutMs;
  }
}
