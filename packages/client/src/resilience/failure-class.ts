import { AuthError } from '../errors/auth-error.ts';
import { CircuitOpenError } from '../errors/circuit-open-error.ts';
import { ContentFilterError } from '../errors/content-filter-error.ts';
import { ContextOverflowError } from '../errors/context-overflow-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { ReinsError } from '../errors/reins-error.ts';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';

/**
 * The failure classes that retry policies, the breaker and fallbacks reason about:
 * - `rateLimit`: 429 (retried after the provider's wait; feeds the limiter),
 * - `transient`: 5xx, 529 overloaded, connection reset, first-token / idle / transport timeouts
 *   (backoff; counts toward the breaker),
 * - `interrupted`: a stream broke after content reached the caller,
 * - `contextOverflow`, `contentFilter`, `auth`: never retried,
 * - `fatal`: anything else (other 4xx, the caller's total deadline, the breaker, budget, bugs).
 */
export type FailureClass =
  | 'rateLimit'
  | 'transient'
  | 'interrupted'
  | 'contextOverflow'
  | 'contentFilter'
  | 'auth'
  | 'fatal';

/**
 * Sorts an attempt's error into its failure class.
 *
 * @example
 * classifyFailure(new RateLimitError('429')) // 'rateLimit'
 */
export function classifyFailure(error: unknown): FailureClass {
  if (!ReinsError.isInstance(error)) return 'fatal';
  // Structurally equal subclasses would narrow `error` to never: test a wider copy.
  const reins: ReinsError = error;
  if (TimeoutError.isInstance(reins)) return reins.limit === 'total' ? 'fatal' : 'transient';
  if (RateLimitError.isInstance(error)) return error.isRetryable ? 'rateLimit' : 'fatal';
  if (StreamInterruptedError.isInstance(error)) return 'interrupted';
  if (ContextOverflowError.isInstance(error)) return 'contextOverflow';
  if (ContentFilterError.isInstance(error)) return 'contentFilter';
  if (AuthError.isInstance(error)) return 'auth';
  if (CircuitOpenError.isInstance(error)) return 'fatal';
  return reins.isRetryable ? 'transient' : 'fatal';
}
