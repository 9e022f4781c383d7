import { describe, expect, it } from 'vitest';
import { anthropicClient, openAIClient, useSimulator } from './helpers.ts';

// gpt-4o: 500 ms median TTFT, 120 tokens/s; claude-haiku-4-5: 600 ms, 200 tokens/s. Scaled by 0.1.
const simulator = useSimulator({ profile: 'realistic', latencyScale: 0.1 });
const question = [{ role: 'user' as const, content: 'Explain how ocean tides follow the moon' }];

describe('realistic latency profile (scaled by 0.1)', () => {
  it('waits about the time to first token before the first OpenAI delta, then streams at the model speed', async () => {
    const started = performance.now();
    const stream = await openAIClient(simulator.current).chat.completions.create({
      model: 'gpt-4o',
      messages: question,
      stream: true,
      stream_options: { include_usage: true },
    });
    let firstContentAt = 0;
    let outputTokens = 0;
    for await (const chunk of stream) {
      if (!firstContentAt && chunk.choices[0]?.delta.content) firstContentAt = performance.now() - started;
      if (chunk.usage) outputTokens = chunk.usage.completion_tokens;
    }
    const total = performance.now() - started;
    const ttft = (500 + 14 / 20) * 0.1;
    expect(firstContentAt).toBeGreaterThanOrEqual(ttft * 0.8);
    expect(total).toBeGreaterThanOrEqual(ttft * 0.8 + outputTokens * 0.3);
    expect(total).toBeLessThan(5_000);
  });

  it('delays a non-streaming Anthropic answer by TTFT plus generation time', async () => {
    const started = performance.now();
    const message = await anthropicClient(simulator.current).messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      messages: question,
    });
    const elapsed = performance.now() - started;
    const expected = (600 + message.usage.output_tokens * 5) * 0.1;
    expect(elapsed).toBeGreaterThanOrEqual(expected * 0.8);
    expect(elapsed).toBeLessThan(5_000);
  });
});
