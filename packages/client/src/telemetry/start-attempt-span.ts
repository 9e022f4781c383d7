import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { Usage } from '../record/call-record.ts';

/** The tracer Reins uses; a no-op until the application registers an OpenTelemetry provider. */
export function getReinsTracer(): Tracer {
  return trace.getTracer('@reins/client');
}

export type AttemptSpanStart = {
  providerKind: string;
  provider: string;
  model: string;
  callId: string;
  traceId: string;
  attempt: number;
  operation: string;
  maxTokens?: number;
  temperature?: number;
};

export type AttemptSpanEnd = {
  usage?: Usage;
  costUsd: number | null;
  finishReason?: string | null;
  responseModel?: string;
  responseId?: string;
  error?: { className: string; message: string };
};

/**
 * Opens one client span per attempt with the OpenTelemetry GenAI semantic-convention attributes
 * (`gen_ai.request.model`, `gen_ai.usage.input_tokens`, `gen_ai.usage.cache_read.input_tokens`…).
 * Attribute work is skipped when the span is not recording, so the default costs next to nothing.
 *
 * @example
 * const end = startAttemptSpan(tracer, { providerKind: 'openai', provider: 'openai', model: 'gpt-5.6-luna',
 *   callId, traceId, attempt: 1, operation: 'generate' });
 * end({ usage, costUsd: 0.0012, finishReason: 'stop' });
 */
export function startAttemptSpan(tracer: Tracer, start: AttemptSpanStart): (end: AttemptSpanEnd) => void {
  const span: Span = tracer.startSpan(`chat ${start.model}`, { kind: SpanKind.CLIENT });
  if (!span.isRecording()) return () => span.end();
  const system = start.providerKind === 'anthropic' ? 'anthropic' : 'openai';
  const attributes: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': system,
    'gen_ai.system': system,
    'gen_ai.request.model': start.model,
    'reins.provider': start.provider,
    'reins.call_id': start.callId,
    'reins.trace_id': start.traceId,
    'reins.attempt': start.attempt,
    'reins.operation': start.operation,
  };
  if (start.maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = start.maxTokens;
  if (start.temperature !== undefined) attributes['gen_ai.request.temperature'] = start.temperature;
  span.setAttributes(attributes);
  return (end) => {
    const result: Attributes = {};
    if (end.usage !== undefined) {
      result['gen_ai.usage.input_tokens'] = end.usage.inputTokens;
      result['gen_ai.usage.output_tokens'] = end.usage.outputTokens;
      result['gen_ai.usage.cache_read.input_tokens'] = end.usage.cachedInputTokens;
      result['gen_ai.usage.cache_creation.input_tokens'] = end.usage.cacheWriteTokens;
      result['gen_ai.usage.reasoning.output_tokens'] = end.usage.reasoningTokens;
    }
    if (end.costUsd !== null) result['reins.cost_usd'] = end.costUsd;
    if (end.finishReason) result['gen_ai.response.finish_reasons'] = [end.finishReason];
    if (end.responseModel !== undefined) result['gen_ai.response.model'] = end.responseModel;
    if (end.responseId !== undefined) result['gen_ai.response.id'] = end.responseId;
    if (end.error !== undefined) {
      result['error.type'] = end.error.className;
      span.setStatus({ code: SpanStatusCode.ERROR, message: end.error.message });
    }
    span.setAttributes(result);
    span.end();
  };
}
