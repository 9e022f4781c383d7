import { ContentFilterError } from '../errors/content-filter-error.ts';
import type { ProviderResult } from '../providers/provider.ts';
import { startAttemptTimeouts } from '../resilience/attempt-timeouts.ts';
import { type Admission, admitAttempt, onResponseHeaders } from './admit-attempt.ts';
import type { CallContext } from './call-context.ts';
import { startAttempt } from './start-attempt.ts';
import { toAttemptError } from './to-attempt-error.ts';

/**
 * One non-streaming provider request for `call`, recorded whatever happens. It first passes the
 * breaker, budget and limiter (`admitAttempt`; a refusal there sends nothing and records no
 * attempt), and runs under the first-token limit (for a non-streaming answer: the whole answer).
 * A refusal or filtered answer is billed, recorded, and thrown as `ContentFilterError`.
 *
 * @example
 * const result = await runCall(call, () => generateAttempt(call));
 */
export async function generateAttempt(call: CallContext): Promise<ProviderResult> {
  let admission: Admission;
  try {
    const admitted = admitAttempt(call);
    admission = admitted instanceof Promise ? await admitted : admitted;
  } catch (error) {
    // Refused before sending (breaker, budget, an abort while queued): not an attempt.
    call.attempts -= 1;
    throw error;
  }
  const attempt = startAttempt(call);
  const timeouts = startAttemptTimeouts(call.signal, call.timeouts, call.model.id);
  const request = { ...call.request, signal: timeouts.signal, onResponse: onResponseHeaders(call) };
  let result: ProviderResult | undefined;
  try {
    result = await call.model.provider.doGenerate(request);
    // Non-streaming: the first token reaches us with the whole answer.
    attempt.markFirstToken();
    if (result.finishReason === 'content-filter') {
      throw new ContentFilterError(`${call.model.id}: the provider refused or filtered the answer`, {
        provider: call.model.provider.name,
        model: call.model.modelId,
        partialText: result.text,
        usage: result.usage,
      });
    }
  } catch (error) {
    const mapped = toAttemptError(call, error, timeouts.signal);
    const { costUsd } = attempt.end(result ?? {}, mapped);
    admission.settle(result?.usage, costUsd, mapped);
    throw mapped;
  } finally {
    timeouts.dispose();
  }
  const { ttftMs, costUsd } = attempt.end(result);
  admission.settle(result.usage, costUsd);
  call.ttftMs = ttftMs;
  return result;
}
