import { setTimeout as wait } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, MODELS, startHarness } from './helpers.ts';

let harness: Harness;
let slow: Harness;
beforeAll(async () => {
  harness = await startHarness();
  // Realistic pacing, scaled so a 200-token answer streams for about a second.
  slow = await startHarness({ simulator: { profile: 'realistic', latencyScale: 0.2 } });
});
afterAll(async () => {
  await harness.close();
  await slow.close();
});

describe.each(MODELS)('stream on %s', (model) => {
  it('yields text deltas, one usage and a finish whose result equals .final()', async () => {
    harness.simulator.reset();
    const stream = harness.client.stream({
      model,
      prompt: 'Describe a lighthouse at night.',
      maxTokens: 300,
    });
    const types: string[] = [];
    let text = '';
    let finishResult: unknown;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'text-delta') text += event.delta;
      if (event.type === 'finish') finishResult = event.result;
    }
    expect(types.filter((type) => type === 'text-delta').length).toBeGreaterThan(3);
    expect(types.slice(-2)).toEqual(['usage', 'finish']);
    const final = await stream.final();
    expect(final).toBe(finishResult);
    expect(final.text).toBe(text);
    expect(await stream.text()).toBe(text);
    const stats = harness.simulator.stats();
    expect(final.usage).toMatchObject({ inputTokens: stats.inputTokens, outputTokens: stats.outputTokens });
    expect(final.costUsd).toBeGreaterThan(0);
    expect(final.ttftMs).not.toBeNull();
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it('.final() alone consumes the stream and resolves like generate', async () => {
    const result = await harness.client.stream({ model, prompt: 'Name three rivers.' }).final();
    expect(result).toMatchObject({ model, attempts: 1, finishReason: 'stop' });
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('breaking out of the loop aborts the upstream request (the simulator never finishes or bills it)', async () => {
    slow.simulator.reset();
    const before = slow.records.length;
    const stream = slow.client.stream({
      model,
      prompt: 'Write a long story about the sea.',
      maxTokens: 400,
      headers: { 'x-sim-answer-tokens': '300' },
    });
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === 'text-delta' && ++deltas === 2) break;
    }
    await expect(stream.final()).rejects.toMatchObject({ name: 'AbortError' });
    // Unaborted, this answer would take ~300 × 1/tps × 0.2 s; wait past that.
    await wait(1500);
    const stats = slow.simulator.stats();
    expect(stats.requests).toBe(1);
    expect(stats.outputTokens).toBe(0);
    const record = slow.records.slice(before).at(-1)!;
    expect(record).toMatchObject({ status: 'error', errorClass: 'AbortError' });
    expect(record.response?.text.length).toBeGreaterThan(0);
  });

  it("aborting the request's signal ends the stream with an error event and aborts upstream", async () => {
    slow.simulator.reset();
    const controller = new AbortController();
    const stream = slow.client.stream({
      model,
      prompt: 'Write a long story about the sea.',
      maxTokens: 400,
      headers: { 'x-sim-answer-tokens': '300' },
      signal: controller.signal,
    });
    const events: string[] = [];
    for await (const event of stream) {
      events.push(event.type);
      if (event.type === 'text-delta' && events.length === 1) controller.abort(new Error('user left'));
      if (event.type === 'error') expect(event.error).toMatchObject({ message: 'user left' });
    }
    expect(events.at(-1)).toBe('error');
    await expect(stream.final()).rejects.toThrow('user left');
    await wait(1500);
    expect(slow.simulator.stats().outputTokens).toBe(0);
  });
});

describe('stream failures', () => {
  it('a stream cut after content became a StreamInterruptedError with the partial text and usage', async () => {
    const stream = harness.client.stream({
      model: 'anthropic/claude-haiku-4-5',
      prompt: 'Tell me about tides',
      headers: { 'x-sim-faults': `cut:6;id=cut-${Date.now()}` },
    });
    let text = '';
    let failure: unknown;
    for await (const event of stream) {
      if (event.type === 'text-delta') text += event.delta;
      if (event.type === 'error') failure = event.error;
    }
    expect(failure).toMatchObject({ name: 'StreamInterruptedError', partialText: text });
    expect(text.length).toBeGreaterThan(0);
  });

  it('a request over the context window fails as an error event before any request', async () => {
    harness.simulator.reset();
    const stream = harness.client.stream({ model: 'openai/gpt-4o-mini', prompt: 'word '.repeat(130_000) });
    await expect(stream.final()).rejects.toMatchObject({ name: 'ContextOverflowError' });
    expect(harness.simulator.stats().httpRequests).toBe(0);
  });
});
