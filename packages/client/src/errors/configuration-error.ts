import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * The request or client configuration cannot work: an unknown provider in `provider/model`, a
 * missing model, a malformed option. Raised before any network call; never retryable.
 *
 * @example
 * // ConfigurationError: Unknown provider "mistral" in "mistral/large"; configured: openai, anthropic
 * await client.generate({ model: 'mistral/large', prompt: 'Hi' });
 */
export class ConfigurationError extends ReinsError {
  static override readonly errorName: string = 'ConfigurationError';

  constructor(message: string, options: ReinsErrorOptions = {}) {
    super(message, { isRetryable: false, ...options });
  }
}
