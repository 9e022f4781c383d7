import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient, type Message, tool } from '../src/index.ts';
import { ANTHROPIC_KEY, type Harness, startHarness } from './helpers.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const png = Buffer.alloc(600, 9).toString('base64');

const conversations: Array<[string, Message[], string | undefined]> = [
  ['a plain prompt', [{ role: 'user', content: 'How far is the Moon?' }], undefined],
  [
    'system, history and special-token text',
    [
      { role: 'user', content: 'Hi <|endoftext|> there, ünïcødé ✓ 日本語' },
      { role: 'assistant', content: 'Hello! How can I help?' },
      { role: 'user', content: 'Tell me about tides in 3 sentences.' },
    ],
    'You are terse.',
  ],
  [
    'an image and tool history',
    [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', mediaType: 'image/png', data: png },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', id: 'call_1', name: 'describe', input: { detail: 'high' } }],
      },
      { role: 'tool', content: [{ type: 'tool-result', id: 'call_1', output: { labels: ['cat', 'sofa'] } }] },
    ],
    'Describe images.',
  ],
];

describe('estimate vs what the simulator bills', () => {
  it.each(conversations)('OpenAI is exact: %s', async (_name, messages, system) => {
    const request = {
      model: 'openai/gpt-4.1-mini',
      messages,
      ...(system !== undefined ? { system } : {}),
      maxTokens: 50,
    };
    const estimate = await harness.client.estimate(request);
    const result = await harness.client.generate(request);
    expect(estimate.exact).toBe(true);
    expect(estimate.inputTokens).toBe(result.usage.inputTokens);
    expect(result.estimate).toEqual(estimate);
    expect(estimate).toMatchObject({ maxOutputTokens: 50, contextWindow: 1_047_576 });
    // $0.40/M in, $1.60/M out: the worst case of this request.
    expect(estimate.maxCostUsd).toBe(Math.round((estimate.inputTokens * 0.4 + 50 * 1.6) * 1e6) / 1e12);
  });

  it.each(conversations)('Anthropic is within the documented 2%: %s', async (_name, messages, system) => {
    const request = {
      model: 'anthropic/claude-sonnet-5',
      messages,
      ...(system !== undefined ? { system } : {}),
      maxTokens: 50,
    };
    const estimate = await harness.client.estimate(request);
    const result = await harness.client.generate(request);
    expect(estimate.exact).toBe(false);
    expect(Math.abs(estimate.inputTokens - result.usage.inputTokens)).toBeLessThanOrEqual(
      Math.max(1, Math.ceil(result.usage.inputTokens * 0.02)),
    );
  });

  it('is exact for tools and structured output on both providers', async () => {
    const lookup = tool({
      description: 'Find a city',
      input: z.object({ name: z.string() }),
      execute: () => 'Oslo',
    });
    for (const model of ['openai/gpt-5.6-terra', 'anthropic/claude-opus-4-8']) {
      const tools = await harness.client.withTools({
        model,
        prompt: 'Find the city of Oslo',
        tools: { lookup },
        maxSteps: 1,
      });
      expect(tools.estimate.inputTokens).toBe(tools.usage.inputTokens);
      const structured = await harness.client.structured({
        model,
        prompt: 'A city',
        schema: z.object({ city: z.string(), population: z.number().optional() }),
      });
      expect(structured.estimate.inputTokens).toBe(structured.usage.inputTokens);
    }
  });

  it("Anthropic with exactTokenCounts asks the provider's count_tokens endpoint", async () => {
    const exact = createClient({
      providers: { anthropic: { apiKey: ANTHROPIC_KEY, baseURL: harness.simulator.url } },
      exactTokenCounts: true,
      logger: false,
    });
    const request = {
      model: 'anthropic/claude-haiku-4-5',
      messages: conversations[2]![1],
      system: 'Describe images.',
    };
    const before = harness.simulator.stats().httpRequests;
    const estimate = await exact.estimate(request);
    expect(harness.simulator.stats().httpRequests).toBe(before + 1);
    const result = await exact.generate(request);
    expect(estimate.exact).toBe(true);
    expect(estimate.inputTokens).toBe(result.usage.inputTokens);
  });
});

describe('context overflow', () => {
  it('refuses before any request, naming the estimate and the window (OpenAI, gpt-4o: 128,000)', async () => {
    harness.simulator.reset();
    const prompt = 'lighthouse keeper '.repeat(60_000); // ~120k tokens
    const error = await harness.client
      .generate({ model: 'openai/gpt-4o', prompt, maxTokens: 16_000 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ContextOverflowError', maxTokens: 16_000, contextWindow: 128_000 });
    const overflow = error as { inputTokens: number; message: string };
    expect(overflow.message).toContain(String(overflow.inputTokens));
    expect(overflow.message).toContain('128000');
    expect(harness.simulator.stats().httpRequests).toBe(0);
    const line = harness.logs.findLast((entry) => entry['event'] === 'llm.call')!;
    expect(line).toMatchObject({ status: 'error', error_class: 'ContextOverflowError', attempt: 0 });
  });

  it('refuses before any request on Anthropic (claude-haiku-4-5: 200,000)', async () => {
    harness.simulator.reset();
    await expect(
      harness.client.structured({
        model: 'anthropic/claude-haiku-4-5',
        prompt: 'x'.repeat(700_000),
        schema: z.object({ a: z.string() }),
      }),
    ).rejects.toMatchObject({ name: 'ContextOverflowError', contextWindow: 200_000 });
    expect(harness.simulator.stats().httpRequests).toBe(0);
  });

  it('refuses after an exact count too, sending nothing but the count (exactTokenCounts)', async () => {
    harness.simulator.reset();
    const exact = createClient({
      providers: { anthropic: { apiKey: ANTHROPIC_KEY, baseURL: harness.simulator.url } },
      exactTokenCounts: true,
      logger: false,
    });
    await expect(
      exact.generate({ model: 'anthropic/claude-haiku-4-5', prompt: 'x'.repeat(700_000), maxTokens: 100 }),
    ).rejects.toMatchObject({ name: 'ContextOverflowError', contextWindow: 200_000, maxTokens: 100 });
    expect(harness.simulator.stats().httpRequests).toBe(1);
  });
});
