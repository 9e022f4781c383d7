import { describe, expect, it } from 'vitest';
import { createPriceTable } from './price-table.ts';
import bundled from './prices.json' with { type: 'json' };

describe('createPriceTable', () => {
  it('covers the models the issue names, with a dated snapshot and its source commit', () => {
    const table = createPriceTable();
    expect(table.snapshotDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(table.sourceCommit).toMatch(/^[0-9a-f]{40}$/);
    for (const model of [
      'gpt-5.6-sol',
      'gpt-5.6-terra',
      'gpt-5.6-luna',
      'gpt-5.5',
      'gpt-5.4',
      'gpt-5.4-mini',
      'gpt-4.1',
      'gpt-4.1-mini',
      'gpt-4o',
      'gpt-4o-mini',
    ]) {
      expect(table.lookup('openai', 'openai', model), model).toMatchObject({
        input: expect.any(Number),
        output: expect.any(Number),
        cacheRead: expect.any(Number),
        contextWindow: expect.any(Number),
        maxOutput: expect.any(Number),
      });
    }
    for (const model of [
      'claude-opus-4-8',
      'claude-opus-4-7',
      'claude-sonnet-5',
      'claude-sonnet-4-6',
      'claude-haiku-4-5',
    ]) {
      expect(table.lookup('anthropic', 'anthropic', model), model).toMatchObject({
        cacheWrite: expect.any(Number),
        cacheWrite1h: expect.any(Number),
        minCacheableTokens: expect.any(Number),
      });
    }
    expect(Object.keys(bundled.models)).toHaveLength(15);
  });

  it('GPT-5.6 bills cache writes above the input price; earlier models have no write price', () => {
    const table = createPriceTable();
    const luna = table.lookup('openai', 'openai', 'gpt-5.6-luna')!;
    expect(luna.cacheWrite).toBeGreaterThan(luna.input!);
    expect(table.lookup('openai', 'openai', 'gpt-5.5')!.cacheWrite).toBeUndefined();
  });

  it('never lends OpenAI prices to an OpenAI-compatible server, and merges overrides', () => {
    const table = createPriceTable({
      'local/llama-3.1-8b': { input: 0, output: 0, contextWindow: 131_072 },
      'openai/gpt-4o': { input: 2 },
    });
    expect(table.lookup('local', 'openai-compatible', 'gpt-4o')).toBeUndefined();
    expect(table.lookup('local', 'openai-compatible', 'llama-3.1-8b')).toEqual({
      input: 0,
      output: 0,
      contextWindow: 131_072,
    });
    expect(table.lookup('openai', 'openai', 'gpt-4o')).toMatchObject({ input: 2, output: 10 });
    expect(table.lookup('openai', 'openai', 'gpt-4o-2024-05-13')).toBeUndefined();
  });
});
