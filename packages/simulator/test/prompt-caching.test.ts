import { describe, expect, it } from 'vitest';
import { countOpenAIChatTokens, estimateAnthropicTokens } from '../src/index.ts';
import { anthropicClient, openAIClient, useSimulator } from './helpers.ts';

let clock = 1_000_000;
const simulator = useSimulator({ now: () => clock });

/** A long, varied document so that token counts are realistic. */
function document(words: number, salt: string): string {
  const vocabulary = [
    'orbit',
    'gravity',
    'tide',
    'harbor',
    'current',
    'lunar',
    'solar',
    'basin',
    'coast',
    'surge',
    'estuary',
    'phase',
  ];
  const out: string[] = [];
  for (let index = 0; index < words; index++)
    out.push(`${vocabulary[(index * 7 + salt.length) % vocabulary.length]}${index % 13}`);
  return `${salt}: ${out.join(' ')}.`;
}

describe('OpenAI automatic prompt caching', () => {
  const system = document(1500, 'openai-doc');

  it('reports cached_tokens for a repeated prefix of at least 1024 tokens, in 128-token steps', async () => {
    const client = openAIClient(simulator.current, { apiKey: 'sk-cache-1' });
    const messages = (question: string) => [
      { role: 'system' as const, content: system },
      { role: 'user' as const, content: question },
    ];
    const first = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: messages('What is a tide?'),
    });
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(first.usage?.prompt_tokens).toBe(countOpenAIChatTokens({ messages: messages('What is a tide?') }));
    expect(first.usage?.prompt_tokens_details).not.toHaveProperty('cache_write_tokens');
    const second = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: messages('And what is a surge?'),
    });
    const cached = second.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    expect(cached).toBeGreaterThanOrEqual(1024);
    expect((cached - 1024) % 128).toBe(0);
    expect(cached).toBeLessThanOrEqual(second.usage?.prompt_tokens ?? 0);
    // The shared prefix is the system message; the cached share cannot reach into the new question.
    expect(cached).toBeLessThanOrEqual(
      countOpenAIChatTokens({ messages: [{ role: 'system', content: system }] }),
    );
    expect(cached).toBeGreaterThan(
      countOpenAIChatTokens({ messages: [{ role: 'system', content: system }] }) - 128 - 8,
    );
  });

  it('does not cache prompts under 1024 tokens, and keys the cache by API key and model', async () => {
    const short = [{ role: 'user' as const, content: document(100, 'short') }];
    const client = openAIClient(simulator.current, { apiKey: 'sk-cache-2' });
    await client.chat.completions.create({ model: 'gpt-4o', messages: short });
    expect(
      (await client.chat.completions.create({ model: 'gpt-4o', messages: short })).usage
        ?.prompt_tokens_details?.cached_tokens,
    ).toBe(0);
    const long = [{ role: 'user' as const, content: document(1500, 'keyed') }];
    await client.chat.completions.create({ model: 'gpt-4o', messages: long });
    const otherKey = openAIClient(simulator.current, { apiKey: 'sk-cache-3' });
    expect(
      (await otherKey.chat.completions.create({ model: 'gpt-4o', messages: long })).usage
        ?.prompt_tokens_details?.cached_tokens,
    ).toBe(0);
    expect(
      (await client.chat.completions.create({ model: 'gpt-4.1', messages: long })).usage
        ?.prompt_tokens_details?.cached_tokens,
    ).toBe(0);
    expect(
      (await client.chat.completions.create({ model: 'gpt-4o', messages: long })).usage?.prompt_tokens_details
        ?.cached_tokens,
    ).toBeGreaterThan(0);
  });

  it('reports cache writes for GPT-5.6 models on the request that creates the entry', async () => {
    const client = openAIClient(simulator.current, { apiKey: 'sk-cache-4' });
    const messages = [{ role: 'user' as const, content: document(2000, 'writes') }];
    const first = await client.chat.completions.create({ model: 'gpt-5.6-luna', messages });
    const written = first.usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
    const total = first.usage?.prompt_tokens ?? 0;
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(written).toBe(1024 + Math.floor((total - 1024) / 128) * 128);
    const second = await client.chat.completions.create({ model: 'gpt-5.6-luna', messages });
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(written);
    expect(second.usage?.prompt_tokens_details?.cache_write_tokens).toBe(0);
  });

  it('expires entries after the TTL on the injected clock, refreshed by each hit', async () => {
    const client = openAIClient(simulator.current, { apiKey: 'sk-cache-5' });
    const messages = [{ role: 'user' as const, content: document(1500, 'ttl') }];
    await client.chat.completions.create({ model: 'gpt-4o', messages });
    clock += 9 * 60_000;
    expect(
      (await client.chat.completions.create({ model: 'gpt-4o', messages })).usage?.prompt_tokens_details
        ?.cached_tokens,
    ).toBeGreaterThan(0);
    clock += 9 * 60_000;
    expect(
      (await client.chat.completions.create({ model: 'gpt-4o', messages })).usage?.prompt_tokens_details
        ?.cached_tokens,
    ).toBeGreaterThan(0);
    clock += 11 * 60_000;
    expect(
      (await client.chat.completions.create({ model: 'gpt-4o', messages })).usage?.prompt_tokens_details
        ?.cached_tokens,
    ).toBe(0);
  });
});

describe('Anthropic prompt caching', () => {
  const longSystem = document(3000, 'anthropic-doc');

  it('creates a cache entry at a breakpoint, then reads it within the TTL; input_tokens excludes both', async () => {
    const client = anthropicClient(simulator.current, { apiKey: 'sk-ant-cache-1' });
    const request = (question: string) => ({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      system: [{ type: 'text' as const, text: longSystem, cache_control: { type: 'ephemeral' as const } }],
      messages: [{ role: 'user' as const, content: question }],
    });
    const total = estimateAnthropicTokens(request('What is a tide?'));
    const first = await client.messages.create(request('What is a tide?'));
    const systemTokens = estimateAnthropicTokens({ system: longSystem });
    expect(first.usage.cache_creation_input_tokens).toBe(systemTokens);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: systemTokens,
      ephemeral_1h_input_tokens: 0,
    });
    expect(first.usage.input_tokens).toBe(total - systemTokens);
    const second = await client.messages.create(request('What is a surge?'));
    expect(second.usage.cache_read_input_tokens).toBe(systemTokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect(second.usage.input_tokens).toBe(
      estimateAnthropicTokens(request('What is a surge?')) - systemTokens,
    );
    const streamed = await client.messages.stream(request('What is a basin?')).finalMessage();
    expect(streamed.usage.cache_read_input_tokens).toBe(systemTokens);
  });

  it('expires a 5m entry after five minutes on the injected clock, and keeps a 1h entry', async () => {
    const client = anthropicClient(simulator.current, { apiKey: 'sk-ant-cache-2' });
    const request = (ttl: '5m' | '1h') => ({
      model: 'claude-sonnet-4-6',
      max_tokens: 50,
      system: [
        {
          type: 'text' as const,
          text: `${ttl} ${longSystem}`,
          cache_control: { type: 'ephemeral' as const, ttl },
        },
      ],
      messages: [{ role: 'user' as const, content: 'Hello' }],
    });
    const created5m = await client.messages.create(request('5m'));
    const created1h = await client.messages.create(request('1h'));
    expect(created1h.usage.cache_creation?.ephemeral_1h_input_tokens).toBe(
      created1h.usage.cache_creation_input_tokens,
    );
    expect(created1h.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(0);
    clock += 4 * 60_000;
    expect((await client.messages.create(request('5m'))).usage.cache_read_input_tokens).toBe(
      created5m.usage.cache_creation_input_tokens,
    );
    clock += 6 * 60_000;
    const expired = await client.messages.create(request('5m'));
    expect(expired.usage.cache_read_input_tokens).toBe(0);
    expect(expired.usage.cache_creation_input_tokens).toBe(created5m.usage.cache_creation_input_tokens);
    clock += 45 * 60_000;
    expect((await client.messages.create(request('1h'))).usage.cache_read_input_tokens).toBe(
      created1h.usage.cache_creation_input_tokens,
    );
    clock += 61 * 60_000;
    expect((await client.messages.create(request('1h'))).usage.cache_read_input_tokens).toBe(0);
  });

  it("applies the model's minimum cacheable length", async () => {
    const client = anthropicClient(simulator.current, { apiKey: 'sk-ant-cache-3' });
    const text = document(700, 'minimum');
    const tokens = estimateAnthropicTokens({ system: text });
    expect(tokens).toBeGreaterThan(1024);
    expect(tokens).toBeLessThan(4096);
    const request = (model: string) => ({
      model,
      max_tokens: 50,
      system: [{ type: 'text' as const, text, cache_control: { type: 'ephemeral' as const } }],
      messages: [{ role: 'user' as const, content: 'Hi' }],
    });
    // Haiku 4.5 caches from 4096 tokens, Sonnet 4.6 from 1024.
    const haiku = await client.messages.create(request('claude-haiku-4-5'));
    expect(haiku.usage.cache_creation_input_tokens).toBe(0);
    expect(haiku.usage.input_tokens).toBe(estimateAnthropicTokens(request('claude-haiku-4-5')));
    const sonnet = await client.messages.create(request('claude-sonnet-4-6'));
    expect(sonnet.usage.cache_creation_input_tokens).toBe(tokens);
  });

  it('caches tools, system and message blocks in order, splitting creation by TTL, and supports top-level cache_control', async () => {
    const client = anthropicClient(simulator.current, { apiKey: 'sk-ant-cache-4' });
    const tool = {
      name: 'lookup',
      description: document(700, 'tool'),
      input_schema: { type: 'object' as const, properties: { q: { type: 'string' } } },
      cache_control: { type: 'ephemeral' as const, ttl: '1h' as const },
    };
    const body = {
      model: 'claude-opus-4-8',
      max_tokens: 50,
      tools: [tool],
      system: [{ type: 'text' as const, text: document(400, 'system') }],
      messages: [
        {
          role: 'user' as const,
          content: [
            {
              type: 'text' as const,
              text: document(400, 'turn'),
              cache_control: { type: 'ephemeral' as const },
            },
          ],
        },
        { role: 'assistant' as const, content: 'Noted.' },
        { role: 'user' as const, content: 'Summarize.' },
      ],
    };
    const toolTokens = estimateAnthropicTokens({ tools: [tool] });
    expect(toolTokens).toBeGreaterThan(1024);
    const throughTurn = estimateAnthropicTokens({ ...body, messages: body.messages.slice(0, 1) });
    const first = await client.messages.create(body);
    expect(first.usage.cache_creation).toEqual({
      ephemeral_1h_input_tokens: toolTokens,
      ephemeral_5m_input_tokens: throughTurn - toolTokens,
    });
    expect(first.usage.input_tokens).toBe(estimateAnthropicTokens(body) - throughTurn);
    const second = await client.messages.create(body);
    expect(second.usage.cache_read_input_tokens).toBe(throughTurn);
    const automatic = { ...body, cache_control: { type: 'ephemeral' as const } };
    const third = await client.messages.create(automatic);
    expect(third.usage.cache_read_input_tokens).toBe(throughTurn);
    expect(third.usage.cache_creation_input_tokens).toBe(estimateAnthropicTokens(body) - throughTurn);
    expect(third.usage.input_tokens).toBe(0);
  });

  it('refuses more than four cache_control breakpoints', async () => {
    const block = (text: string) => ({
      type: 'text' as const,
      text,
      cache_control: { type: 'ephemeral' as const },
    });
    const error = await anthropicClient(simulator.current)
      .messages.create({
        model: 'claude-opus-4-8',
        max_tokens: 10,
        system: [block('a'), block('b'), block('c')],
        messages: [{ role: 'user', content: [block('d'), block('e')] }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400 });
    expect((error as Error).message).toContain(
      'A maximum of 4 blocks with cache_control may be provided. Found 5.',
    );
  });
});
