import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCost, createOpenAIProvider, createPriceTable } from '../src/index.ts';
import { faults, type Harness, MODELS, startHarness } from './helpers.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const prices = createPriceTable();

describe('the OpenAI adapter on its own', () => {
  it("an abort mid-request rejects with the SDK's APIUserAbortError carrying the reason, as before", async () => {
    const provider = createOpenAIProvider({
      name: 'openai',
      apiKey: 'sk-test',
      baseURL: `${harness.simulator.url}/v1`,
    });
    harness.simulator.reset();
    const controller = new AbortController();
    const reason = new Error('user left');
    const pending = provider
      .doGenerate({
        model: 'gpt-5.6-luna',
        messages: [{ role: 'user', content: 'Hi' }],
        signal: controller.signal,
        headers: faults('stall', 'adapter-abort'),
      })
      .catch((caught: unknown) => caught);
    while (harness.simulator.stats().requests === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(reason);
    const error = await pending;
    expect((error as Error).constructor.name).toBe('APIUserAbortError');
    expect((error as Error).cause).toBe(reason);
  });
});

describe.each(MODELS)('generate on %s', (model) => {
  it("aborting the request's signal mid-request rejects with its reason at once, not retried", async () => {
    harness.simulator.reset();
    const controller = new AbortController();
    const reason = new Error('user left');
    const pending = harness.client
      .generate({ model, prompt: 'Hi', signal: controller.signal, headers: faults('stall', 'abort') })
      .catch((caught: unknown) => caught);
    // The stalled request has reached the simulator: abort it there.
    while (harness.simulator.stats().requests === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(reason);
    expect(await pending).toBe(reason);
    // One request, not retried; without the abort it would have waited for the first-token limit.
    expect(harness.simulator.stats().requests).toBe(1);
  });

  it('answers, reports usage the simulator billed, prices it, and logs one attempt and one call line', async () => {
    harness.simulator.reset();
    const before = harness.records.length;
    const result = await harness.client.generate({
      model,
      system: 'Answer in one paragraph.',
      prompt: 'Explain how tides work.',
      maxTokens: 200,
      metadata: { userId: 'u-1', tags: ['demo'], template: { name: 'explain', version: '3' } },
    });
    expect(result.text.length).toBeGreaterThan(10);
    expect(result.finishReason).toBe('stop');
    expect(result).toMatchObject({ model, attempts: 1, provider: model.split('/')[0] });
    expect(result.callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.traceId).toBe(result.callId);

    const stats = harness.simulator.stats();
    expect(stats.requests).toBe(1);
    expect(result.usage.inputTokens).toBe(stats.inputTokens);
    expect(result.usage.outputTokens).toBe(stats.outputTokens);
    const [provider, modelId] = model.split('/') as [string, string];
    expect(result.costUsd).toBe(computeCost(result.usage, prices.lookup(provider, provider, modelId)));
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.ttftMs).not.toBeNull();
    expect(result.estimate.inputTokens).toBe(result.usage.inputTokens);

    const lines = harness.logs.filter((line) => line['call_id'] === result.callId);
    expect(lines.map((line) => line['event'])).toEqual(['llm.attempt', 'llm.call']);
    for (const line of lines) {
      expect(line).toMatchObject({
        trace_id: result.traceId,
        attempt: 1,
        provider,
        model: modelId,
        prompt_tokens: result.usage.inputTokens,
        completion_tokens: result.usage.outputTokens,
        cached_tokens: 0,
        cache_write_tokens: 0,
        cost_usd: result.costUsd,
        status: 'ok',
        error_class: null,
        template: 'explain',
        template_version: '3',
      });
      expect(line['latency_ms']).toEqual(expect.any(Number));
      expect(line['ttft_ms']).toEqual(expect.any(Number));
    }

    const records = harness.records.slice(before);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      callId: result.callId,
      attempt: 1,
      operation: 'generate',
      status: 'ok',
      costUsd: result.costUsd,
      usage: result.usage,
      response: { text: result.text, finishReason: 'stop' },
      request: { system: 'Answer in one paragraph.', params: { maxTokens: 200 } },
    });

    const meter = harness.client.meter.snapshot();
    expect(meter.byUser['u-1']!.calls).toBeGreaterThan(0);
    expect(meter.byTag['demo']!.costUsd).toBeGreaterThan(0);
  });
});

describe('providers', () => {
  it('serves OpenAI-compatible providers by name; unknown prices give costUsd null and one warning', async () => {
    const result = await harness.client.generate({ model: 'local/llama-3.1-8b', prompt: 'Hello there' });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.costUsd).toBeNull();
    await harness.client.generate({ model: 'local/llama-3.1-8b', prompt: 'Hello again' });
    const warnings = harness.logs.filter((line) =>
      String(line['msg']).startsWith('No price known for local/llama-3.1-8b'),
    );
    expect(warnings).toHaveLength(1);
    expect(harness.client.meter.snapshot().byModel['local/llama-3.1-8b']!.unpricedAttempts).toBe(2);
  });

  it('names an unknown provider in a typed ConfigurationError before any request', async () => {
    harness.simulator.reset();
    await expect(harness.client.generate({ model: 'mistral/large', prompt: 'Hi' })).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringContaining('Unknown provider "mistral"'),
    });
    expect(harness.simulator.stats().httpRequests).toBe(0);
  });

  it('maps provider errors to typed errors: a wrong key is an AuthError that does not retry', async () => {
    const strict = await startHarness({ simulator: { keys: ['the-only-valid-key-123456'] } });
    try {
      await expect(
        strict.client.generate({ model: 'openai/gpt-4o-mini', prompt: 'Hi' }),
      ).rejects.toMatchObject({
        name: 'AuthError',
        status: 401,
        isRetryable: false,
      });
      await expect(
        strict.client.generate({ model: 'anthropic/claude-haiku-4-5', prompt: 'Hi' }),
      ).rejects.toMatchObject({
        name: 'AuthError',
      });
    } finally {
      await strict.close();
    }
  });
});
