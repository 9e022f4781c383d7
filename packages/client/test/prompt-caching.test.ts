import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Usage } from '../src/index.ts';
import { type Harness, startHarness } from './helpers.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

/** A stable, long system prompt: ~`words` words of varied text. */
function handbook(words: number, seed: string): string {
  const vocabulary = [
    'tide',
    'harbour',
    'anchor',
    'current',
    'keel',
    'sail',
    'beacon',
    'reef',
    'squall',
    'chart',
  ];
  return (
    Array.from({ length: words }, (_, index) => `${vocabulary[(index * 7) % 10]}${index % 13}`).join(' ') +
    seed
  );
}

/** USD from per-million prices, rounded to 1e-12 like the client (independent arithmetic). */
function usd(parts: Array<[tokens: number, perMillion: number]>): number {
  const micro = parts.reduce((sum, [tokens, price]) => sum + tokens * price, 0);
  return Math.round(micro * 1e6) / 1e12;
}

describe('prompt caching and exact cost, Anthropic (claude-sonnet-4-6: $3 in, $3.75 5m write, $6 1h write, $0.30 read, $15 out)', () => {
  it('puts a breakpoint on a long system prompt: first call writes the cache, second reads it', async () => {
    const system = handbook(2500, 'a');
    const request = {
      model: 'anthropic/claude-sonnet-4-6',
      system,
      prompt: 'Summarise the handbook.',
      maxTokens: 100,
    };
    const first = await harness.client.generate(request);
    const second = await harness.client.generate({ ...request, prompt: 'List three rules.' });

    expect(first.usage.cacheWriteTokens).toBeGreaterThan(1024);
    expect(first.usage.cachedInputTokens).toBe(0);
    const uncachedFirst = first.usage.inputTokens - first.usage.cacheWriteTokens;
    expect(first.costUsd).toBe(
      usd([
        [uncachedFirst, 3],
        [first.usage.cacheWriteTokens, 3.75],
        [first.usage.outputTokens, 15],
      ]),
    );

    expect(second.usage.cachedInputTokens).toBe(first.usage.cacheWriteTokens);
    expect(second.usage.cacheWriteTokens).toBe(0);
    const uncachedSecond = second.usage.inputTokens - second.usage.cachedInputTokens;
    expect(second.costUsd).toBe(
      usd([
        [uncachedSecond, 3],
        [second.usage.cachedInputTokens, 0.3],
        [second.usage.outputTokens, 15],
      ]),
    );
    // inputTokens is the whole prompt on both calls, whatever was cached.
    expect(second.usage.inputTokens).toBe(second.estimate.inputTokens);
  });

  it('prices 1-hour cache writes at the 1-hour rate', async () => {
    const result = await harness.client.generate({
      model: 'anthropic/claude-sonnet-4-6',
      system: handbook(2500, 'b'),
      prompt: 'Summarise.',
      maxTokens: 50,
      cacheTtl: '1h',
    });
    expect(result.usage.cacheWrite1hTokens).toBe(result.usage.cacheWriteTokens);
    const uncached = result.usage.inputTokens - result.usage.cacheWriteTokens;
    expect(result.costUsd).toBe(
      usd([
        [uncached, 3],
        [result.usage.cacheWriteTokens, 6],
        [result.usage.outputTokens, 15],
      ]),
    );
  });

  it('caches up to the last message the caller marks stable', async () => {
    const document = handbook(2000, 'c');
    const messages = [{ role: 'user' as const, content: document, cache: true }];
    const first = await harness.client.generate({
      model: 'anthropic/claude-sonnet-4-6',
      messages,
      prompt: 'Q1?',
      maxTokens: 30,
    });
    const second = await harness.client.generate({
      model: 'anthropic/claude-sonnet-4-6',
      messages,
      prompt: 'Q2?',
      maxTokens: 30,
    });
    expect(first.usage.cacheWriteTokens).toBeGreaterThan(0);
    expect(second.usage.cachedInputTokens).toBe(first.usage.cacheWriteTokens);
  });

  it('sets no breakpoint under the model minimum (haiku: 4,096) or with cache: off', async () => {
    const short = await harness.client.generate({
      model: 'anthropic/claude-haiku-4-5',
      system: handbook(1500, 'd'),
      prompt: 'Hi',
      maxTokens: 20,
    });
    expect(short.usage.cacheWriteTokens).toBe(0);
    const off = await harness.client.generate({
      model: 'anthropic/claude-sonnet-4-6',
      system: handbook(2500, 'e'),
      prompt: 'Hi',
      maxTokens: 20,
      cache: 'off',
    });
    expect(off.usage.cacheWriteTokens).toBe(0);
  });
});

describe('prompt caching and exact cost, OpenAI (gpt-5.6-luna: $1 in, $1.25 write, $0.10 read, $6 out)', () => {
  it('bills cache writes, then reads, from prompt_tokens_details', async () => {
    const system = handbook(3000, 'f');
    const request = {
      model: 'openai/gpt-5.6-luna',
      system,
      prompt: 'Summarise the handbook.',
      maxTokens: 100,
      metadata: { template: { name: 'handbook-summary', version: '1' } },
    };
    const first = await harness.client.generate(request);
    const second = await harness.client.generate(request);
    expect(first.usage.cacheWriteTokens).toBeGreaterThan(1024);
    const check = (usage: Usage) =>
      usd([
        [usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens, 1],
        [usage.cachedInputTokens, 0.1],
        [usage.cacheWriteTokens, 1.25],
        [usage.outputTokens, 6],
      ]);
    expect(first.costUsd).toBe(check(first.usage));
    expect(second.usage.cachedInputTokens).toBeGreaterThan(1024);
    expect(second.costUsd).toBe(check(second.usage));
    expect(second.costUsd!).toBeLessThan(first.costUsd!);
  });

  it('reads cached tokens on models without write billing (gpt-4o: $2.50 in, $1.25 read, $10 out)', async () => {
    const request = {
      model: 'openai/gpt-4o',
      system: handbook(3000, 'g'),
      prompt: 'Summarise.',
      maxTokens: 50,
    };
    await harness.client.generate(request);
    const second = await harness.client.generate(request);
    expect(second.usage.cachedInputTokens).toBeGreaterThan(0);
    expect(second.usage.cacheWriteTokens).toBe(0);
    expect(second.costUsd).toBe(
      usd([
        [second.usage.inputTokens - second.usage.cachedInputTokens, 2.5],
        [second.usage.cachedInputTokens, 1.25],
        [second.usage.outputTokens, 10],
      ]),
    );
  });
});

describe('the meter cache report', () => {
  it('shows tokens read from cache, the hit rate and the USD saved', () => {
    const { cache, cachedInputTokens, inputTokens } = harness.client.meter.snapshot();
    expect(cache.tokensRead).toBe(cachedInputTokens);
    expect(cache.hitRate).toBeCloseTo(cachedInputTokens / inputTokens, 10);
    expect(cache.savedUsd).toBeGreaterThan(0);
    expect(cache.ttftCachedMs).not.toBeNull();
    expect(cache.ttftUncachedMs).not.toBeNull();
  });
});
