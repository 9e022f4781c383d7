import { type Attributes, type Span, type SpanStatus, type Tracer, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeProvider } from '../core/fake-provider.ts';
import { createClient } from '../create-client.ts';

type Recorded = { name: string; attributes: Attributes; status?: SpanStatus; ended: boolean };

function fakeTracer(spans: Recorded[]): Tracer {
  return {
    startSpan(name) {
      const recorded: Recorded = { name, attributes: {}, ended: false };
      spans.push(recorded);
      const span = {
        isRecording: () => true,
        setAttributes(attributes: Attributes) {
          Object.assign(recorded.attributes, attributes);
          return span;
        },
        setStatus(status: SpanStatus) {
          recorded.status = status;
          return span;
        },
        end() {
          recorded.ended = true;
        },
      };
      return span as unknown as Span;
    },
    startActiveSpan: (() => {
      throw new Error('not used');
    }) as Tracer['startActiveSpan'],
  };
}

afterEach(() => trace.disable());

describe('OpenTelemetry spans', () => {
  it('opens one span per attempt with GenAI semantic-convention attributes', async () => {
    const spans: Recorded[] = [];
    // Through the global API, as an application would register its provider.
    trace.setGlobalTracerProvider({ getTracer: () => fakeTracer(spans) });
    const fake = createFakeProvider([
      {
        text: 'Hi',
        usage: {
          inputTokens: 1200,
          cachedInputTokens: 1024,
          cacheWriteTokens: 0,
          outputTokens: 7,
          reasoningTokens: 2,
        },
        responseModel: 'fake-model-2026',
      },
    ]);
    const client = createClient({
      providers: {},
      adapters: { fake },
      logger: false,
      prices: { 'fake/m': { input: 1, output: 2, cacheRead: 0.1 } },
    });
    const result = await client.generate({ model: 'fake/m', prompt: 'Hi', maxTokens: 20, temperature: 0.3 });
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      name: 'chat m',
      ended: true,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'm',
        'gen_ai.request.max_tokens': 20,
        'gen_ai.request.temperature': 0.3,
        'gen_ai.response.model': 'fake-model-2026',
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 7,
        'gen_ai.usage.cache_read.input_tokens': 1024,
        'gen_ai.usage.cache_creation.input_tokens': 0,
        'reins.call_id': result.callId,
        'reins.attempt': 1,
        'reins.cost_usd': result.costUsd,
      },
    });
  });

  it('marks a failed attempt with error.type', async () => {
    const spans: Recorded[] = [];
    const fake = createFakeProvider([{ finishReason: 'content-filter', text: 'I cannot' }]);
    const client = createClient({
      providers: {},
      adapters: { fake },
      logger: false,
      tracer: fakeTracer(spans),
    });
    await expect(client.generate({ model: 'fake/m', prompt: 'Hi' })).rejects.toMatchObject({
      name: 'ContentFilterError',
    });
    expect(spans[0]!.attributes['error.type']).toBe('ContentFilterError');
    expect(spans[0]!.status?.code).toBe(2);
  });
});
