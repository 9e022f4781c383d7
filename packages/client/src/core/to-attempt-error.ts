import { toReinsError } from '../errors/to-reins-error.ts';
import type { CallContext } from './call-context.ts';

/**
 * What an attempt throws: the caller's own abort reason when its signal fired (an abort is not
 * a provider failure), else the SDK error mapped to a typed Reins error with keys redacted.
 */
export function toAttemptError(call: CallContext, error: unknown): unknown {
  if (call.signal?.aborted) return call.signal.reason;
  return toReinsError(error, {
    provider: call.model.provider.name,
    model: call.model.modelId,
    redact: call.runtime.redact,
  });
}
