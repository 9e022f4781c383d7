import { ContentFilterError } from '../errors/content-filter-error.ts';
import { ProviderError } from '../errors/provider-error.ts';
import { ReinsError } from '../errors/reins-error.ts';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.ts';
import type { FinishReason, ProviderToolCall } from '../providers/provider.ts';
import type { Usage } from '../record/call-record.ts';
import { buildResult } from './build-result.ts';
import type { CallContext } from './call-context.ts';
import type { ClientRuntime } from './client-runtime.ts';
import { finishCall } from './finish-call.ts';
import { prepareCall } from './prepare-call.ts';
import type { RequestOptions } from './request.ts';
import type { StreamEvent } from './result.ts';
import { type Attempt, startAttempt } from './start-attempt.ts';
import { toAttemptError } from './to-attempt-error.ts';

/** Raised when the consumer stops reading; recorded as the attempt's and the call's outcome. */
function consumerStopped(): DOMException {
  return new DOMException('The consumer stopped reading the stream.', 'AbortError');
}

/**
 * The event source behind `client.stream`: prepares the call, runs streaming attempts and turns
 * provider parts into the caller's events. An attempt that fails before any content reached the
 * caller may be retried by the retry policy; one that fails after becomes a
 * `StreamInterruptedError` carrying the partial text and usage. The stream owns an
 * AbortController: when the consumer breaks out of its loop, `finally` aborts the upstream request.
 */
export async function* streamCall(
  runtime: ClientRuntime,
  options: RequestOptions,
  operation = 'stream',
): AsyncGenerator<StreamEvent, void, undefined> {
  const controller = new AbortController();
  const callerSignal = options.signal;
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  let call: CallContext | undefined;
  let completed = false;
  // Content already handed to the caller by the current attempt: decides retry vs interruption.
  let emitted = false;
  let attempt: Attempt | undefined;
  let text = '';
  let toolCalls: ProviderToolCall[] = [];
  let usage: Usage | undefined;
  const partial = () => ({ text, toolCalls, ...(usage !== undefined ? { usage } : {}) });
  try {
    call = await prepareCall(runtime, { ...options, signal: controller.signal }, operation);
    const provider = call.model.provider;
    // One generator for the whole call (attempts inline, no `yield*` layer): every layer of async
    // generators adds microtask hops to each event, which is time to first token under load.
    for (;;) {
      call.attempts += 1;
      attempt = startAttempt(call);
      text = '';
      toolCalls = [];
      usage = undefined;
      emitted = false;
      let finish:
        | { finishReason: FinishReason; rawFinishReason: string | null; responseModel?: string }
        | undefined;
      try {
        const parts = await provider.doStream({ ...call.request, signal: controller.signal });
        for await (const part of parts) {
          if (part.type === 'text-delta') {
            attempt.markFirstToken();
            text += part.delta;
            emitted = true;
            yield { type: 'text-delta', delta: part.delta };
          } else if (part.type === 'tool-call') {
            attempt.markFirstToken();
            toolCalls.push(part.toolCall);
            emitted = true;
            const { id, name, input } = part.toolCall;
            yield { type: 'tool-call', id, name, input };
          } else if (part.type === 'usage') {
            usage = part.usage;
            yield { type: 'usage', usage: part.usage };
          } else {
            finish = part;
          }
        }
        if (finish === undefined) {
          throw new ProviderError(`${call.model.id}: the stream ended before its finish event`, {
            provider: provider.name,
            model: call.model.modelId,
            isRetryable: true,
          });
        }
        if (finish.finishReason === 'content-filter') {
          throw new ContentFilterError(`${call.model.id}: the provider refused or filtered the answer`, {
            provider: provider.name,
            model: call.model.modelId,
            partialText: text,
            ...(usage !== undefined ? { usage } : {}),
          });
        }
      } catch (error) {
        let mapped = toAttemptError(call, error);
        attempt.end(partial(), mapped);
        if (controller.signal.aborted) throw mapped;
        if (!emitted) {
          const delay = runtime.shouldRetry(mapped, call.attempts);
          if (delay === undefined) throw mapped;
          await runtime.sleep(delay, controller.signal);
          continue;
        }
        // Content already reached the caller: a transport failure now is an interruption.
        if (
          ReinsError.isInstance(mapped) &&
          mapped.isRetryable &&
          !StreamInterruptedError.isInstance(mapped)
        ) {
          mapped = new StreamInterruptedError(
            `${call.model.id}: the stream broke after ${text.length} characters`,
            {
              provider: provider.name,
              model: call.model.modelId,
              partialText: text,
              ...(usage !== undefined ? { usage } : {}),
              cause: mapped,
            },
          );
        }
        throw mapped;
      }
      call.ttftMs = attempt.end({ ...partial(), ...finish }).ttftMs;
      const result = buildResult(call, { text, toolCalls, ...finish });
      completed = true;
      finishCall(call);
      yield { type: 'finish', result };
      return;
    }
  } catch (error) {
    completed = true;
    if (call !== undefined) finishCall(call, error);
    yield { type: 'error', error };
  } finally {
    callerSignal?.removeEventListener('abort', onCallerAbort);
    if (!completed) {
      // Reached only when the consumer broke out: abort upstream, then record why.
      const stopped = consumerStopped();
      controller.abort(stopped);
      if (attempt !== undefined && !attempt.ended) attempt.end(partial(), stopped);
      if (call !== undefined) finishCall(call, stopped);
    }
  }
}
