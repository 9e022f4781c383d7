import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * The provider rejected the credentials (401/403) or no API key is configured. Never retried.
 * The message never contains the key.
 *
 * @example
 * if (AuthError.isInstance(error)) console.error('check OPENAI_API_KEY');
 */
export class AuthError extends ReinsError {
  static override readonly errorName: string = 'AuthError';

  constructor(message: string, options: ReinsErrorOptions = {}) {
    super(message, { isRetryable: false, ...options });
  }
}
