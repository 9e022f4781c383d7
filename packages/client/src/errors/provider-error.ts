import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * Any other provider failure: 5xx and 529 overloads and connection errors are retryable; other
 * 4xx (bad request, unknown model) are not. Also raised for a misconfigured provider name.
 *
 * @example
 * if (ProviderError.isInstance(error) && error.status === 529) console.warn('overloaded');
 */
export class ProviderError extends ReinsError {
  static override readonly errorName: string = 'ProviderError';
  readonly body: unknown;

  constructor(message: string, options: ReinsErrorOptions & { body?: unknown } = {}) {
    super(message, options);
    this.body = options.body;
  }
}
