import type { Usage } from '../record/call-record.ts';
import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * The provider refused or filtered the answer. The attempt was billed: `usage` says how much.
 *
 * @example
 * if (ContentFilterError.isInstance(error)) show(error.partialText || 'The model declined.');
 */
export class ContentFilterError extends ReinsError {
  static override readonly errorName: string = 'ContentFilterError';
  readonly partialText: string;
  readonly usage: Usage | undefined;

  constructor(message: string, options: ReinsErrorOptions & { partialText?: string; usage?: Usage } = {}) {
    super(message, { isRetryable: false, ...options });
    this.partialText = options.partialText ?? '';
    this.usage = options.usage;
  }
}
