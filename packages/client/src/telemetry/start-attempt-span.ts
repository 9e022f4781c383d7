import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { Usage } from '../record/call-record.ts';

/** The tracer Reins uses; a no-op until the application registers an OpenTelemetry provider. */
export function getReinsTracer(): Tracer {
  return trace.getTracer('@reins/client');
}

/** What the span needs of a call; kept structural so telemetry does not depend on the core. */
export type SpanCall = {
  callId: string;
  traceId: string;
  operation: string;
  model: { modelId: string; provider: { name: string; kind: string } };
  request: { maxTokens?: number; temperature?: number };
};

export type SpanOutcome = {
  finishReason?: string;
  rawFinishReason?: string | null;
  responseModel?: string;
  responseId?: string;
};

export type EndSpan = (
  usage: Usage | undefined,
  costUsd: number | null,
  outcome: SpanOutcome,
  failure: { className: string; message: string } | undefined,
) => void;

/**
 * Opens one client span per attempt with the OpenTelemetry GenAI semantic-convention attributes
 * (`gen_ai.request.model`, `gen_ai.usage.input_tokens`, `gen_ai.usage.cache_read.input_tokens`…).
 * Returns `undefined` when the span is not recording (no tracer provider registered), so the
 * default costs one no-op span and nothing else.
 *
 * @example
 * const end = startAttemptSpan(tracer, call, 1);
 * end?.(usage, 0.0012, { finishReason: 'stop' }, undefined);
 */
export function startAttemptSpan(tracer: Tracer, call: SpanCall, attempt: number): EndSpan | undefined {
  const span: Span = tracer.startSpan(`chat ${call.model.modelId}`, { kind: SpanKind.CLIENT });
  if (!span.isRecording()) {
    span.end();
    return undefined;
  }
  const system = call.model.provider.kind === 'anthropic' ? 'anthropic' : 'openai';
  const attributes: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': system,
    'gen_ai.system': system,
    'gen_ai.request.model': call.model.modelId,
    'reins.provider': call.model.provider.name,
    'reins.call_id': call.callId,
    'reins.trace_id': call.traceId,
    'reins.attempt': attempt,
    'reins.operation': call.operation,
  };
  if (call.request.maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = call.request.maxTokens;
  if (call.request.temperature !== undefined)
    attributes['gen_ai.request.temperature'] = call.request.temperature;
  span.setAttributes(attributes);
  return (usage, costUsd, outcome, failure) => {
    const result: Attributes = {};
    if (usage !== undefined) {
      result['gen_ai.usage.input_tokens'] = usage.inputTokens;
      result['gen_ai.usage.output_tokens'] = usage.outputTokens;
      result['gen_ai.usage.cache_read.input_tokens'] = usage.cachedInputTokens;
      result['gen_ai.usage.cache_creation.input_tokens'] = usage.cacheWriteTokens;
      result['gen_ai.usage.reasoning.output_tokens'] = usage.reasoningTokens;
    }
    if (costUsd !== null) result['reins.cost_usd'] = costUsd;
    const finishReason = outcome.rawFinishReason ?? outcome.finishReason;
    if (finishReason) result['gen_ai.response.finish_reasons'] = [finishReason];
    if (outcome.responseModel !== undefined) result['gen_ai.response.model'] = outcome.responseModel;
    if (outcome.responseId !== undefined) result['gen_ai.response.id'] = outcome.responseId;
    if (failure !== undefined) {
      result['error.type'] = failure.className;
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    }
    span.setAttributes(result);
    span.end();
  };
}
