import { toReinsError } from '../errors/to-reins-error.ts';
import type { CallContext } from './call-context.ts';

/**
 * What an attempt throws: the caller's own abort reason when its signal fired (an abort is not
 * a provider failure), the `TimeoutError` of a limit that fired, else the SDK error mapped to a typed Reins error with keys redacted.
 */
export function toAttemptError(call: CallContext, error: unknown, attemptSignal?: AbortSignal): unknown {
  // The call's signal carries the caller's reason or the total deadline; the attempt's adds
  // the first-token and idle timeouts.
  if (call.signal?.aborted) return call.signal.reason;
  if (attemptSignal?.aborted) return attemptSignal.reason;
  return toReinsError(error, {
    provider: call.model.provider.name,
    model: call.model.modelId,
    redact: call.runtime.redact,
  });
}
