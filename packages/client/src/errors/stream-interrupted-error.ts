import type { Usage } from '../record/call-record.ts';
import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * A stream broke after content had reached the caller. Carries what arrived so the caller can
 * keep it or discard it; a fresh attempt may succeed, so it is marked retryable.
 *
 * @example
 * if (StreamInterruptedError.isInstance(error)) save(error.partialText);
 */
export class StreamInterruptedError extends ReinsError {
  static override readonly errorName: string = 'StreamInterruptedError';
  readonly partialText: string;
  readonly usage: Usage | undefined;

  constructor(message: string, options: ReinsErrorOptions & { partialText: string; usage?: Usage }) {
    super(message, { isRetryable: true, ...options });
    this.partialText = options.partialText;
    this.usage = options.usage;
  }
}
