import { describe, expect, it } from 'vitest';
import { mapAnthropicUsage } from '../providers/anthropic/map-anthropic-usage.ts';
import { mapOpenAIUsage } from '../providers/openai/map-openai-usage.ts';
import { cacheSavings, computeCost } from './compute-cost.ts';
import { createPriceTable } from './price-table.ts';

const prices = createPriceTable();
const openai = (model: string) => prices.lookup('openai', 'openai', model);
const anthropic = (model: string) => prices.lookup('anthropic', 'anthropic', model);

describe('computeCost: OpenAI (prompt_tokens includes cached and cache-written tokens)', () => {
  it('uncached: gpt-4o, 10,000 in / 500 out at $2.50 / $10 per M', () => {
    const usage = mapOpenAIUsage({ prompt_tokens: 10_000, completion_tokens: 500 });
    // 10,000 × 2.5 + 500 × 10 = 30,000 micro-USD
    expect(computeCost(usage, openai('gpt-4o'))).toBe(0.03);
  });

  it('cache read: gpt-4o, 8,192 of 10,000 cached at $1.25 per M', () => {
    const usage = mapOpenAIUsage({
      prompt_tokens: 10_000,
      completion_tokens: 500,
      prompt_tokens_details: { cached_tokens: 8_192 },
    });
    // 1,808 × 2.5 + 8,192 × 1.25 + 500 × 10 = 4,520 + 10,240 + 5,000 = 19,760 micro-USD
    expect(computeCost(usage, openai('gpt-4o'))).toBe(0.01976);
  });

  it('cache write (GPT-5.6 bills writes above input): gpt-5.6-luna', () => {
    const usage = mapOpenAIUsage({
      prompt_tokens: 5_000,
      completion_tokens: 200,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 4_096 },
      completion_tokens_details: { reasoning_tokens: 64 },
    });
    expect(usage.reasoningTokens).toBe(64);
    // 904 × 1 + 4,096 × 1.25 + 200 × 6 = 904 + 5,120 + 1,200 = 7,224 micro-USD
    expect(computeCost(usage, openai('gpt-5.6-luna'))).toBe(0.007224);
  });

  it('cache read and write together: gpt-5.6-sol', () => {
    const usage = mapOpenAIUsage({
      prompt_tokens: 6_000,
      completion_tokens: 100,
      prompt_tokens_details: { cached_tokens: 4_096, cache_write_tokens: 1_024 },
    });
    // 880 × 5 + 4,096 × 0.5 + 1,024 × 6.25 + 100 × 30 = 4,400 + 2,048 + 6,400 + 3,000 = 15,848
    expect(computeCost(usage, openai('gpt-5.6-sol'))).toBe(0.015848);
  });

  it('long context (> 272k input) is priced at the higher tier for the whole request', () => {
    const usage = mapOpenAIUsage({ prompt_tokens: 300_000, completion_tokens: 1_000 });
    // 300,000 × 2 + 1,000 × 9 = 609,000 micro-USD
    expect(computeCost(usage, openai('gpt-5.6-luna'))).toBe(0.609);
  });
});

describe('computeCost: Anthropic (input_tokens EXCLUDES cache reads and writes)', () => {
  it('uncached: claude-haiku-4-5, 10,000 in / 500 out at $1 / $5 per M', () => {
    const usage = mapAnthropicUsage({ input_tokens: 10_000, output_tokens: 500 });
    expect(usage.inputTokens).toBe(10_000);
    expect(computeCost(usage, anthropic('claude-haiku-4-5'))).toBe(0.0125);
  });

  it('5-minute cache write: claude-sonnet-4-6 at $3.75 per M', () => {
    const usage = mapAnthropicUsage({
      input_tokens: 50,
      cache_creation_input_tokens: 10_000,
      cache_read_input_tokens: 0,
      output_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 10_000, ephemeral_1h_input_tokens: 0 },
    });
    expect(usage.inputTokens).toBe(10_050);
    // 50 × 3 + 10,000 × 3.75 + 300 × 15 = 150 + 37,500 + 4,500 = 42,150 micro-USD
    expect(computeCost(usage, anthropic('claude-sonnet-4-6'))).toBe(0.04215);
  });

  it('1-hour cache write: priced from the ephemeral_1h breakdown at $6 per M', () => {
    const usage = mapAnthropicUsage({
      input_tokens: 50,
      cache_creation_input_tokens: 10_000,
      output_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 4_000, ephemeral_1h_input_tokens: 6_000 },
    });
    // 50 × 3 + 4,000 × 3.75 + 6,000 × 6 + 300 × 15 = 150 + 15,000 + 36,000 + 4,500 = 55,650
    expect(computeCost(usage, anthropic('claude-sonnet-4-6'))).toBe(0.05565);
  });

  it('cache read: claude-opus-4-8 at $0.50 per M, and the saving against uncached', () => {
    const usage = mapAnthropicUsage({
      input_tokens: 50,
      cache_read_input_tokens: 10_000,
      output_tokens: 300,
    });
    expect(usage).toMatchObject({ inputTokens: 10_050, cachedInputTokens: 10_000 });
    // 50 × 5 + 10,000 × 0.5 + 300 × 25 = 250 + 5,000 + 7,500 = 12,750 micro-USD
    expect(computeCost(usage, anthropic('claude-opus-4-8'))).toBe(0.01275);
    // Uncached it would be 10,050 × 5 + 7,500 = 57,750: saved 45,000 micro-USD
    expect(cacheSavings(usage, anthropic('claude-opus-4-8'))).toBe(0.045);
  });
});

describe('computeCost: unknown prices', () => {
  it('is null for a model without a price, never a guess', () => {
    const usage = mapOpenAIUsage({ prompt_tokens: 10, completion_tokens: 10 });
    expect(computeCost(usage, undefined)).toBeNull();
    expect(computeCost(usage, { contextWindow: 8192 })).toBeNull();
  });
});
