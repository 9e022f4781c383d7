import { describe, expect, it } from 'vitest';
import { createClient } from '../create-client.ts';
import type { CallRecord } from '../record/call-record.ts';
import { createFakeProvider } from './fake-provider.ts';

function setup(script: Parameters<typeof createFakeProvider>[0]) {
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
