import type { CallContext } from './call-context.ts';
import { errorFields } from './error-fields.ts';
import { writeHeldAttemptLine } from './start-attempt.ts';

/**
 * Writes the call's own log line: its totals over all attempts. One per call, after the
 * per-attempt lines.
 *
 * @example
 * finishCall(call); // success
 * finishCall(call, error); // failure, with error_class
 */
export function finishCall(call: CallContext, error?: unknown): void {
  const runtime = call.runtime;
  call.endedAt ??= runtime.now();
  const logger = runtime.logger;
  if (logger === undefined) return;
  const failure = error === undefined ? undefined : errorFields(error, runtime.redact);
  const held = call.heldAttemptLine;
  // `logAttempts: 'retried'`: a call answered by its only attempt is one line; otherwise the
  // held attempt line goes first, as with 'all'.
  const folded = held !== undefined && call.attempts === 1 && failure === undefined;
  if (held !== undefined && !folded) writeHeldAttemptLine(call);
  call.heldAttemptLine = undefined;
  const template = call.metadata.template;
  const usage = call.usage;
  const fields: Record<string, unknown> = {
    event: 'llm.call',
    trace_id: call.traceId,
    call_id: call.callId,
    attempt: call.attempts,
    operation: call.operation,
    provider: call.model.provider.name,
    model: call.model.modelId,
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    cached_tokens: usage.cachedInputTokens,
    cache_write_tokens: usage.cacheWriteTokens,
    cost_usd: call.costUsd,
    estimated_input_tokens: call.estimate.inputTokens,
    latency_ms: Math.round(call.endedAt - call.startedAt),
    ttft_ms: call.ttftMs === null ? null : Math.round(call.ttftMs),
    status: failure === undefined ? 'ok' : 'error',
    error_class: failure?.className ?? null,
    template: template?.name ?? null,
    template_version: template?.version ?? null,
  };
  if (folded) {
    fields['finish_reason'] = held['finish_reason'];
    if (held['simulated'] === true) fields['simulated'] = true;
  }
  if (failure !== undefined) fields['error_message'] = failure.message;
  if (usage.reasoningTokens > 0) fields['reasoning_tokens'] = usage.reasoningTokens;
  if (call.metadata.userId !== undefined) fields['user_id'] = call.metadata.userId;
  if (call.metadata.taskId !== undefined) fields['task_id'] = call.metadata.taskId;
  if (failure === undefined) logger.info(fields, 'llm call');
  else logger.warn(fields, 'llm call');
}
