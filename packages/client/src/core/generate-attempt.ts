import { ContentFilterError } from '../errors/content-filter-error.ts';
import type { ProviderResult } from '../providers/provider.ts';
import type { CallContext } from './call-context.ts';
import { startAttempt } from './start-attempt.ts';
import { toAttemptError } from './to-attempt-error.ts';

/**
 * One non-streaming provider request for `call`, recorded whatever happens. A refusal or
 * filtered answer is billed, recorded, and thrown as `ContentFilterError`.
 *
 * @example
 * const result = await runCall(call, () => generateAttempt(call));
 */
export async function generateAttempt(call: CallContext): Promise<ProviderResult> {
  const attempt = startAttempt(call);
  const request = call.signal === undefined ? call.request : { ...call.request, signal: call.signal };
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
    const mapped = toAttemptError(call, error);
    attempt.end(result ?? {}, mapped);
    throw mapped;
  }
  const { ttftMs } = attempt.end(result);
  call.ttftMs = ttftMs;
  return result;
}
