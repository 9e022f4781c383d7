import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * The prompt plus the requested output does not fit the model's context window. Raised before
 * any call when the estimate shows it, or mapped from the provider's 400 answer.
 *
 * @example
 * catch (error) { if (ContextOverflowError.isInstance(error)) return summariseAndRetry(); }
 */
export class ContextOverflowError extends ReinsError {
  static override readonly errorName: string = 'ContextOverflowError';
  readonly inputTokens: number | undefined;
  readonly maxTokens: number | undefined;
  readonly contextWindow: number | undefined;

  constructor(
    message: string,
    options: ReinsErrorOptions & { inputTokens?: number; maxTokens?: number; contextWindow?: number } = {},
  ) {
    super(message, { isRetryable: false, ...options });
    this.inputTokens = options.inputTokens;
    this.maxTokens = options.maxTokens;
    this.contextWindow = options.contextWindow;
  }
}
