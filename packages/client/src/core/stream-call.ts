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
import type { GenerateResult, StreamEvent } from './result.ts';
import { startAttempt } from './start-attempt.ts';
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
  try {
    call = await prepareCall(runtime, { ...options, signal: controller.signal }, operation);
    const result = yield* streamAttempts(call);
    completed = true;
    finishCall(call);
    yield { type: 'finish', result };
  } catch (error) {
    completed = true;
    if (call !== undefined) finishCall(call, error);
    yield { type: 'error', error };
  } finally {
    callerSignal?.removeEventListener('abort', onCallerAbort);
    if (!completed) {
      // Reached only when the consumer broke out: abort upstream, then record why.
      controller.abort(consumerStopped());
      if (call !== undefined) finishCall(call, consumerStopped());
    }
  }
}

async function* streamAttempts(call: CallContext): AsyncGenerator<StreamEvent, GenerateResult, undefined> {
  const provider = call.model.provider;
  for (;;) {
    call.attempts += 1;
    const attempt = startAttempt(call);
    let text = '';
    const toolCalls: ProviderToolCall[] = [];
    let usage: Usage | undefined;
    let emitted = false;
    let finish:
      | { finishReason: FinishReason; rawFinishReason: string | null; responseModel?: string }
      | undefined;
    try {
      const parts = await provider.doStream({ ...call.request, signal: call.signal! });
      for await (const part of parts) {
        switch (part.type) {
          case 'text-delta':
            attempt.markFirstToken();
            text += part.delta;
            emitted = true;
            yield { type: 'text-delta', delta: part.delta } satisfies StreamEvent;
            break;
          case 'tool-call':
            attempt.markFirstToken();
            toolCalls.push(part.toolCall);
            emitted = true;
            yield {
              type: 'tool-call',
              id: part.toolCall.id,
              name: part.toolCall.name,
              input: part.toolCall.input,
            } satisfies StreamEvent;
            break;
          case 'usage':
            usage = part.usage;
            yield { type: 'usage', usage: part.usage } satisfies StreamEvent;
            break;
          case 'finish':
            finish = part;
            break;
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
      const outcome = { text, toolCalls, ...finish, ...(usage !== undefined ? { usage } : {}) };
      call.ttftMs = attempt.end(outcome).ttftMs;
      return buildResult(call, { text, toolCalls, ...finish });
    } catch (error) {
      let mapped = toAttemptError(call, error);
      attempt.end({ text, toolCalls, ...(usage !== undefined ? { usage } : {}) }, mapped);
      if (call.signal?.aborted) throw mapped;
      if (!emitted) {
        const delay = call.runtime.shouldRetry(mapped, call.attempts);
        if (delay !== undefined) {
          await call.runtime.sleep(delay, call.signal);
          continue;
        }
        throw mapped;
      }
      // Content already reached the caller: a transport failure now is an interruption.
      if (ReinsError.isInstance(mapped) && mapped.isRetryable && !StreamInterruptedError.isInstance(mapped)) {
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
    } finally {
      // The consumer broke out mid-stream (generator return): record the attempt as aborted.
      if (!attempt.ended)
        attempt.end({ text, toolCalls, ...(usage !== undefined ? { usage } : {}) }, consumerStopped());
    }
  }
}
