import { describe, expect, it } from 'vitest';
import { createPriceTable } from '../pricing/price-table.ts';
import { createAnthropicProvider } from '../providers/anthropic/create-anthropic-provider.ts';
import { createOpenAIProvider } from '../providers/openai/create-openai-provider.ts';
import type { ProviderRequest } from '../providers/provider.ts';
import { planPromptCache } from './plan-prompt-cache.ts';
import type { ResolvedModel } from './resolve-model.ts';

const prices = createPriceTable();
const anthropic = createAnthropicProvider({ name: 'anthropic', apiKey: 'unused' });
const model = (modelId: string): ResolvedModel => ({
  id: `anthropic/${modelId}`,
  provider: anthropic,
  modelId,
  info: prices.lookup('anthropic', 'anthropic', modelId),
});
const long = (tokens: number) => 'x'.repeat(Math.ceil(tokens * 3.5));

describe('planPromptCache', () => {
  it('marks tools, system and the last stable message once each prefix reaches the minimum', () => {
    const request: ProviderRequest = {
      model: 'claude-sonnet-4-6',
      tools: [{ name: 'search', description: long(1200), inputSchema: { type: 'object' } }],
      system: long(500),
      messages: [
        { role: 'user', content: long(300), cache: true },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'question' },
      ],
    };
    expect(planPromptCache(model('claude-sonnet-4-6'), request, undefined, '1h')).toEqual({
      tools: true,
      system: true,
      messageIndexes: [0],
      ttl: '1h',
    });
  });

  it('skips prefixes under the minimum (haiku 4,096) and keeps at most four breakpoints, last marked first', () => {
    const small: ProviderRequest = {
      model: 'claude-haiku-4-5',
      system: long(3000),
      messages: [{ role: 'user', content: 'Hi' }],
    };
    expect(planPromptCache(model('claude-haiku-4-5'), small, undefined, undefined)).toBeUndefined();

    const many: ProviderRequest = {
      model: 'claude-sonnet-4-6',
      system: long(1100),
      messages: Array.from({ length: 6 }, (_, index) => ({
        role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
        content: long(200),
        cache: true,
      })),
    };
    const plan = planPromptCache(model('claude-sonnet-4-6'), many, undefined, undefined)!;
    expect(plan.system).toBe(true);
    expect(plan.messageIndexes).toHaveLength(3);
    expect(plan.messageIndexes).toContain(5);
  });

  it('gives OpenAI a prompt_cache_key from the template name', () => {
    const openai = createOpenAIProvider({ name: 'openai', apiKey: 'unused' });
    const resolved: ResolvedModel = {
      id: 'openai/gpt-4o',
      provider: openai,
      modelId: 'gpt-4o',
      info: undefined,
    };
    const request: ProviderRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };
    expect(planPromptCache(resolved, request, { template: { name: 'support' } }, undefined)).toEqual({
      promptCacheKey: 'reins:support',
    });
    expect(planPromptCache(resolved, request, undefined, undefined)).toBeUndefined();
  });
});
