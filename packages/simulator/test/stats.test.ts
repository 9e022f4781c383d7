import { describe, expect, it } from 'vitest';
import type { StatsBucket } from '../src/index.ts';
import { anthropicClient, faults, openAIClient, useSimulator } from './helpers.ts';

const simulator = useSimulator();
const question = (topic: string) => [
  { role: 'user' as const, content: `Tell me about ${topic} and its history` },
];

/** What a client-side meter would add up from the usage it was shown. */
const meter = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };

describe('stats', () => {
  it('equal the sum of the usage every response reported, per key and per model, and /_sim/stats serves them', async () => {
    simulator.current.reset();
    const openai = openAIClient(simulator.current, { apiKey: 'sk-meter-openai' });
    const anthropic = anthropicClient(simulator.current, { apiKey: 'sk-meter-anthropic' });
    const longSystem = `Reference: ${'orbit gravity tide harbor '.repeat(400)}`;

    for (const topic of ['ships', 'maps']) {
      const completion = await openai.chat.completions.create({
        model: 'gpt-5.6-luna',
        messages: [{ role: 'system', content: longSystem }, ...question(topic)],
      });
      const usage = completion.usage;
      meter.inputTokens += usage?.prompt_tokens ?? 0;
      meter.outputTokens += usage?.completion_tokens ?? 0;
      meter.cachedInputTokens += usage?.prompt_tokens_details?.cached_tokens ?? 0;
      meter.cacheWriteTokens += usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
    }
    expect(meter.cachedInputTokens).toBeGreaterThan(0);
    expect(meter.cacheWriteTokens).toBeGreaterThan(0);

    const stream = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: question('rivers'),
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) {
      if (chunk.usage) {
        meter.inputTokens += chunk.usage.prompt_tokens;
        meter.outputTokens += chunk.usage.completion_tokens;
      }
    }

    for (const topic of ['bridges', 'castles']) {
      const message = await anthropic.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 200,
        system: [{ type: 'text', text: longSystem, cache_control: { type: 'ephemeral' } }],
        messages: question(topic),
      });
      const usage = message.usage;
      meter.inputTokens +=
        usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);
      meter.outputTokens += usage.output_tokens;
      meter.cachedInputTokens += usage.cache_read_input_tokens ?? 0;
      meter.cacheWriteTokens += usage.cache_creation_input_tokens ?? 0;
    }
    const final = await anthropic.messages
      .stream({ model: 'claude-haiku-4-5', max_tokens: 200, messages: question('canals') })
      .finalMessage();
    meter.inputTokens += final.usage.input_tokens;
    meter.outputTokens += final.usage.output_tokens;

    // Responses that reported no usage bill nothing: a cut stream, an error, a stream without include_usage.
    const cut = await openai.chat.completions.create(
      { model: 'gpt-4o', messages: question('roads'), stream: true, stream_options: { include_usage: true } },
      faults('cut:2'),
    );
    await expect(
      (async () => {
        for await (const _chunk of cut) {
          /* drain */
        }
      })(),
    ).rejects.toThrow();
    const cutAnthropic = await anthropic.messages.create(
      { model: 'claude-haiku-4-5', max_tokens: 200, messages: question('roads'), stream: true },
      faults('cut:4'),
    );
    await expect(
      (async () => {
        for await (const _event of cutAnthropic) {
          /* drain */
        }
      })(),
    ).rejects.toThrow();
    await expect(
      openai.chat.completions.create({ model: 'gpt-4o', messages: question('walls') }, faults('500')),
    ).rejects.toMatchObject({ status: 500 });
    for await (const _chunk of await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: question('towers'),
      stream: true,
    })) {
      // no usage chunk requested
    }

    const stats = simulator.current.stats();
    expect({
      inputTokens: stats.inputTokens,
      outputTokens: stats.outputTokens,
      cachedInputTokens: stats.cachedInputTokens,
      cacheWriteTokens: stats.cacheWriteTokens,
    }).toEqual(meter);
    expect(stats.requests).toBe(10);
    expect(stats.faults).toEqual({ 'cut:2': 1, 'cut:4': 1, '500': 1 });
    expect(stats.statuses).toMatchObject({ '200': 7, '500': 1, cut: 2 });
    const sum = (buckets: Record<string, StatsBucket>, field: keyof typeof meter) =>
      Object.values(buckets).reduce((total, bucket) => total + bucket[field], 0);
    for (const field of ['inputTokens', 'outputTokens', 'cachedInputTokens', 'cacheWriteTokens'] as const) {
      expect(sum(stats.byKey, field)).toBe(meter[field]);
      expect(sum(stats.byModel, field)).toBe(meter[field]);
    }
    expect(Object.keys(stats.byKey).sort()).toEqual(['sk-meter-anthropic', 'sk-meter-openai']);
    expect(stats.byModel['claude-sonnet-4-6']?.requests).toBe(2);
    expect(stats.byModel['gpt-4o']?.faults).toEqual({ 'cut:2': 1, '500': 1 });

    const served = await (await fetch(`${simulator.current.url}/_sim/stats`)).json();
    expect(served).toEqual(simulator.current.stats());
  });

  it('reset() and POST /_sim/reset forget everything', async () => {
    await openAIClient(simulator.current).chat.completions.create({
      model: 'gpt-4o',
      messages: question('glass'),
    });
    expect(simulator.current.stats().requests).toBeGreaterThan(0);
    await fetch(`${simulator.current.url}/_sim/reset`, { method: 'POST' });
    const stats = simulator.current.stats();
    expect(stats.requests).toBe(0);
    expect(stats.byKey).toEqual({});
  });
});
