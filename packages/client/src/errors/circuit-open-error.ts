import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * The circuit breaker for this provider+model is open: the call failed fast without a request.
 *
 * @example
 * if (CircuitOpenError.isInstance(error)) console.warn(`retry in ${error.retryInMs} ms`);
 */
export class CircuitOpenError extends ReinsError {
  static override readonly errorName: string = 'CircuitOpenError';
  readonly retryInMs: number | undefined;

  constructor(message: string, options: ReinsErrorOptions & { retryInMs?: number } = {}) {
    super(message, { isRetryable: false, ...options });
    this.retryInMs = options.retryInMs;
  }
}
