import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ClientConfig } from '../client-config.ts';
import { createClient } from '../create-client.ts';
import { ProviderError } from '../errors/provider-error.ts';
import type { CallRecord } from '../record/call-record.ts';
import { createFakeProvider } from './fake-provider.ts';

function setup(script: Parameters<typeof createFakeProvider>[0], config: Partial<ClientConfig> = {}) {
  let clock = 1_000;
  let id = 0;
  const records: CallRecord[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const capture = (fields: object, message?: string) => lines.push({ ...fields, msg: message });
  const fake = createFakeProvider(script);
  const client = createClient({
    providers: {},
    adapters: { fake },
    logger: { info: capture, warn: capture, error: capture, debug: capture },
    sinks: [{ write: (record) => records.push(record) }],
    prices: { 'fake/m': { input: 2, output: 8, contextWindow: 1000 } },
    now: () => (clock += 25),
    wallClock: () => Date.UTC(2026, 10, 25, 12, 0, 0),
    generateId: () => `id-${++id}`,
    ...config,
  });
  return { client, records, lines, fake };
}

describe('generate with an injected clock and ids', () => {
  it('times, names and records the call without sleeping', async () => {
    const { client, records, lines } = setup([{ text: 'Hello' }]);
    const result = await client.generate({
      model: 'fake/m',
      prompt: 'Hi',
      metadata: { traceId: 'trace-7', taskId: 't1' },
    });
    expect(result).toMatchObject({ callId: 'id-1', traceId: 'trace-7', costUsd: 0.00006, text: 'Hello' });
    // 25 ms per clock read: the call deadline and the breaker read it too.
    expect(result.latencyMs).toBe(150);
    expect(result.ttftMs).toBe(25);
    expect(records).toEqual([
      expect.objectContaining({
        id: 'id-2',
        callId: 'id-1',
        traceId: 'trace-7',
        startedAt: '2026-11-25T12:00:00.000Z',
        latencyMs: 50,
        ttftMs: 25,
      }),
    ]);
    expect(lines.map((line) => [line['event'], line['latency_ms']])).toEqual([
      ['llm.attempt', 50],
      ['llm.call', 150],
    ]);
    expect(lines[1]).toMatchObject({ task_id: 't1', estimated_input_tokens: 10 });
  });

  it('meters and records a billed attempt that failed (a filtered answer)', async () => {
    const { client, records } = setup([{ finishReason: 'content-filter', text: 'I cannot help with' }]);
    const error = await client.generate({ model: 'fake/m', prompt: 'Hi' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'ContentFilterError',
      partialText: 'I cannot help with',
      usage: { outputTokens: 5 },
    });
    expect(records[0]).toMatchObject({ status: 'error', errorClass: 'ContentFilterError', costUsd: 0.00006 });
    expect(client.meter.snapshot()).toMatchObject({ attempts: 1, costUsd: 0.00006 });
  });

  it('refuses an overflowing request before calling the provider', async () => {
    const { client, fake } = setup([{ text: 'never' }]);
    await expect(client.generate({ model: 'fake/m', prompt: 'Hi', maxTokens: 995 })).rejects.toMatchObject({
      name: 'ContextOverflowError',
      message: expect.stringMatching(
        /~10 tokens and maxTokens is 995; together 1005 exceed the 1000-token context window/,
      ),
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("logAttempts: 'retried'", () => {
  const retried = { logAttempts: 'retried', sleep: async () => {} } as const;

  it('logs a call answered at its first attempt as one llm.call line carrying the finish reason', async () => {
    const { client, records, lines } = setup([{ text: 'Hello', rawFinishReason: 'stop' }], retried);
    const result = await client.generate({ model: 'fake/m', prompt: 'Hi', metadata: { traceId: 'trace-8' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      event: 'llm.call',
      msg: 'llm call',
      trace_id: 'trace-8',
      call_id: result.callId,
      attempt: 1,
      provider: 'fake',
      model: 'm',
      prompt_tokens: 10,
      completion_tokens: 5,
      cached_tokens: 0,
      cache_write_tokens: 0,
      cost_usd: result.costUsd,
      estimated_input_tokens: 10,
      status: 'ok',
      error_class: null,
      finish_reason: 'stop',
    });
    // The sink still gets its record per attempt.
    expect(records).toHaveLength(1);
  });

  it('still logs every attempt, in order, when the call was retried', async () => {
    const failing = () => {
      throw new ProviderError('upstream 500', { status: 500, provider: 'fake', isRetryable: true });
    };
    const { client, lines } = setup([failing, { text: 'Hello' }], retried);
    await client.generate({ model: 'fake/m', prompt: 'Hi' });
    expect(lines.map((line) => [line['event'], line['attempt'], line['status']])).toEqual([
      ['llm.attempt', 1, 'error'],
      ['llm.attempt', 2, 'ok'],
      ['llm.call', 2, 'ok'],
    ]);
    expect(lines[2]).not.toHaveProperty('finish_reason');
  });

  it('writes the held first attempt before a re-ask and keeps it apart on a failed call', async () => {
    const { client, lines } = setup([{ text: 'not json' }, { text: '{"name":"Ada"}' }], retried);
    await client.structured({
      model: 'fake/m',
      prompt: 'Extract',
      schema: z.object({ name: z.string() }),
    });
    expect(lines.map((line) => [line['event'], line['attempt']])).toEqual([
      ['llm.attempt', 1],
      ['llm.attempt', 2],
      ['llm.call', 2],
    ]);
    const refused = setup([{ text: 'not json' }], retried);
    await refused.client
      .structured({
        model: 'fake/m',
        prompt: 'Extract',
        schema: z.object({ name: z.string() }),
        maxRetries: 0,
      })
      .catch(() => undefined);
    expect(refused.lines.map((line) => [line['event'], line['status']])).toEqual([
      ['llm.attempt', 'ok'],
      ['llm.call', 'error'],
    ]);
  });
});
