import { ContentFilterError } from '../errors/content-filter-error.ts';
import { ProviderError } from '../errors/provider-error.ts';
import { ReinsError } from '../errors/reins-error.ts';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.ts';
import type { FinishReason, ProviderToolCall } from '../providers/provider.ts';
import type { Usage } from '../record/call-record.ts';
import { startAttemptTimeouts } from '../resilience/attempt-timeouts.ts';
import { startCallDeadline } from '../resilience/call-deadline.ts';
import { type Admission, admitAttempt, onResponseHeaders } from './admit-attempt.ts';
import { buildResult } from './build-result.ts';
import type { CallContext } from './call-context.ts';
import type { ClientRuntime } from './client-runtime.ts';
import { finishCall } from './finish-call.ts';
import { prepareCall } from './prepare-call.ts';
import type { RequestOptions } from './request.ts';
import type { StreamEvent } from './result.ts';
import { type Attempt, startAttempt } from './start-attempt.ts';
import { toAttemptError } from './to-attempt-error.ts';
import { nextModel } from './with-fallbacks.ts';

/** Raised when the consumer stops reading; recorded as the attempt's and the call's outcome. */
function consumerStopped(): DOMException {
  return new DOMException('The consumer stopped reading the stream.', 'AbortError');
}

/**
 * The event source behind `client.stream`: prepares the call, runs streaming attempts and turns
 * provider parts into the caller's events. Each attempt passes the breaker, budget and limiter
 * and runs under the first-token and idle limits. An attempt that fails before any content
 * reached the caller is retried per failure class (and, out of retries, the fallback chain is
 * tried); one that fails after becomes a `StreamInterruptedError` carrying the partial text and
 * usage, or with `resumeStrategy: 'restart'` a `{ type: 'restart' }` event and a fresh attempt.
 * The stream owns an AbortController: when the consumer breaks out of its loop, `finally`
 * aborts the upstream request.
 */
export async function* streamCall(
  runtime: ClientRuntime,
  options: RequestOptions,
  operation = 'stream',
): AsyncGenerator<StreamEvent, void, undefined> {
  const controller = new AbortController();
  const deadline = startCallDeadline(
    options.signal,
    options.timeout?.totalMs ?? runtime.timeouts.totalMs,
    runtime.now,
  );
  const onDeadline = () => controller.abort(deadline.signal.reason);
  if (deadline.signal.aborted) onDeadline();
  else deadline.signal.addEventListener('abort', onDeadline, { once: true });
  const signal = controller.signal;

  const primary = options.model ?? runtime.defaults.model ?? '';
  const tried = new Set<string>();
  let model = primary;
  let call: CallContext | undefined;
  let completed = false;
  // Content already handed to the caller by the current attempt: decides retry vs interruption.
  let emitted = false;
  let attempt: Attempt | undefined;
  let admission: Admission | undefined;
  let text = '';
  let toolCalls: ProviderToolCall[] = [];
  let usage: Usage | undefined;
  const partial = () => ({ text, toolCalls, ...(usage !== undefined ? { usage } : {}) });
  try {
    for (;;) {
      tried.add(model);
      call = undefined;
      try {
        call = await prepareCall(runtime, { ...options, model }, operation, undefined, {
          signal,
          deadlineAt: deadline.deadlineAt,
        });
        const provider = call.model.provider;
        // One generator for the whole call (attempts inline, no `yield*` layer): every layer of
        // async generators adds microtask hops to each event, which is time to first token under load.
        for (let retry = 1; ; retry++) {
          call.attempts += 1;
          try {
            const admitted = admitAttempt(call);
            admission = admitted instanceof Promise ? await admitted : admitted;
          } catch (error) {
            call.attempts -= 1;
            throw error;
          }
          attempt = startAttempt(call);
          const timeouts = startAttemptTimeouts(signal, call.timeouts, call.model.id);
          text = '';
          toolCalls = [];
          usage = undefined;
          emitted = false;
          let finish:
            | { finishReason: FinishReason; rawFinishReason: string | null; responseModel?: string }
            | undefined;
          try {
            const parts = await provider.doStream({
              ...call.request,
              signal: timeouts.signal,
              onResponse: onResponseHeaders(call),
            });
            for await (const part of parts) {
              timeouts.progress();
              if (part.type === 'text-delta') {
                attempt.markFirstToken();
                timeouts.firstToken();
                text += part.delta;
                emitted = true;
                yield { type: 'text-delta', delta: part.delta };
              } else if (part.type === 'tool-call') {
                attempt.markFirstToken();
                timeouts.firstToken();
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
            let mapped = toAttemptError(call, error, timeouts.signal);
            // Content already reached the caller: a transport failure now is an interruption.
            if (
              emitted &&
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
            const { costUsd } = attempt.end(partial(), mapped);
            admission.settle(usage, costUsd, mapped);
            if (signal.aborted) throw mapped;
            if (emitted && options.resumeStrategy !== 'restart') throw mapped;
            const delay = runtime.shouldRetry(mapped, retry);
            if (delay === undefined || runtime.now() + delay >= call.deadlineAt) throw mapped;
            if (emitted) yield { type: 'restart', attempt: call.attempts, error: mapped };
            await runtime.sleep(delay, signal);
            continue;
          } finally {
            timeouts.dispose();
          }
          const ended = attempt.end({ ...partial(), ...finish });
          admission.settle(usage, ended.costUsd);
          call.ttftMs = ended.ttftMs;
          const result = buildResult(call, { text, toolCalls, ...finish });
          if (model !== primary) result.fallbackFrom = primary;
          completed = true;
          finishCall(call);
          yield { type: 'finish', result };
          return;
        }
      } catch (error) {
        if (call !== undefined) finishCall(call, error);
        // Out of this model: a fallback may answer, as long as nothing reached the caller.
        const next =
          signal.aborted || emitted ? undefined : nextModel(runtime, options, primary, model, error, tried);
        if (next === undefined) throw error;
        runtime.logger?.warn(
          {
            event: 'reins.fallback',
            from: model,
            to: next,
            error_class: error instanceof Error ? error.name : typeof error,
          },
          `falling back from ${model} to ${next}`,
        );
        model = next;
      }
    }
  } catch (error) {
    completed = true;
    yield { type: 'error', error };
  } finally {
    deadline.signal.removeEventListener('abort', onDeadline);
    deadline.dispose();
    if (!completed) {
      // Reached only when the consumer broke out: abort upstream, then record why.
      const stopped = consumerStopped();
      controller.abort(stopped);
      if (attempt !== undefined && !attempt.ended) {
        const { costUsd } = attempt.end(partial(), stopped);
        admission?.settle(usage, costUsd, stopped);
      }
      if (call !== undefined) finishCall(call, stopped);
    }
  }
}
