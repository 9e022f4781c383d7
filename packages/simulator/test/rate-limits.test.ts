import { describe, expect, it } from 'vitest';
import { anthropicClient, openAIClient, useSimulator } from './helpers.ts';

let clock = 5_000_000;
const simulator = useSimulator({
  now: () => clock,
  rateLimits: {
    'gpt-4o': { rpm: 3, tpm: 4000 },
    'claude-haiku-4-5': { rpm: 2, tpm: 100_000 },
    '*': { rpm: 1000 },
  },
});
const hello = [{ role: 'user' as const, content: 'Say hello about the weather' }];

describe('rate limits per API key', () => {
  it('admits rpm requests with the real x-ratelimit headers, then answers 429 with retry-after', async () => {
    const client = openAIClient(simulator.current, { apiKey: 'sk-rate-1' });
    const remaining: string[] = [];
    for (let index = 0; index < 3; index++) {
      const { response } = await client.chat.completions
        .create({ model: 'gpt-4o', messages: hello })
        .withResponse();
      expect(response.headers.get('x-ratelimit-limit-requests')).toBe('3');
      expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('4000');
      expect(response.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?(ms|s)$|^\d+m[\d.]+s$/);
      expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(4000);
      remaining.push(response.headers.get('x-ratelimit-remaining-requests') ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const error = (await client.chat.completions
      .create({ model: 'gpt-4o', messages: hello })
      .catch((caught: unknown) => caught)) as {
      status: number;
      code: string;
      type: string;
      headers: Headers;
    };
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
    // One request comes back every 20 s at 3 rpm.
    expect(Number(error.headers.get('retry-after-ms'))).toBe(20_000);
    expect(error.headers.get('retry-after')).toBe('20');
    expect(error.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(simulator.current.stats().byKey['sk-rate-1']?.rateLimited).toBe(1);
    clock += 20_000;
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: hello })).resolves.toBeDefined();
  });

  it('keeps separate buckets per key and per model', async () => {
    const client = openAIClient(simulator.current, { apiKey: 'sk-rate-2' });
    for (let index = 0; index < 3; index++)
      await client.chat.completions.create({ model: 'gpt-4o', messages: hello });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: hello })).rejects.toMatchObject({
      status: 429,
    });
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: hello }),
    ).resolves.toBeDefined();
    const other = openAIClient(simulator.current, { apiKey: 'sk-rate-3' });
    await expect(other.chat.completions.create({ model: 'gpt-4o', messages: hello })).resolves.toBeDefined();
  });

  it('limits tokens per minute, counting prompt tokens up front and output tokens after', async () => {
    const client = openAIClient(simulator.current, { apiKey: 'sk-rate-4' });
    const long = [{ role: 'user' as const, content: 'tide '.repeat(2500) }];
    const first = await client.chat.completions.create({ model: 'gpt-4o', messages: long }).withResponse();
    const used = (first.data.usage?.prompt_tokens ?? 0) + (first.data.usage?.completion_tokens ?? 0);
    expect(Number(first.response.headers.get('x-ratelimit-remaining-tokens'))).toBe(
      4000 - (first.data.usage?.prompt_tokens ?? 0),
    );
    const error = (await client.chat.completions
      .create({ model: 'gpt-4o', messages: long })
      .catch((caught: unknown) => caught)) as {
      status: number;
      type: string;
      headers: Headers;
    };
    expect(error).toMatchObject({ status: 429, type: 'tokens' });
    const waitMs = Number(error.headers.get('retry-after-ms'));
    const prompt = first.data.usage?.prompt_tokens ?? 0;
    expect(waitMs).toBe(Math.ceil(((prompt - (4000 - used)) * 60_000) / 4000));
    clock += waitMs;
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: long })).resolves.toBeDefined();
  });

  it('sends the anthropic-ratelimit headers and rate_limit_error', async () => {
    const client = anthropicClient(simulator.current, { apiKey: 'sk-ant-rate-1' });
    const body = { model: 'claude-haiku-4-5', max_tokens: 50, messages: hello };
    const { response } = await client.messages.create(body).withResponse();
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBe('2');
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('1');
    expect(response.headers.get('anthropic-ratelimit-requests-reset')).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(response.headers.get('anthropic-ratelimit-input-tokens-limit')).toBe('100000');
    expect(response.headers.get('anthropic-ratelimit-output-tokens-remaining')).not.toBeNull();
    expect(response.headers.get('anthropic-ratelimit-tokens-remaining')).not.toBeNull();
    await client.messages.create(body);
    const error = await client.messages.create(body).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 429, type: 'rate_limit_error' });
    expect((error as { headers: Headers }).headers.get('retry-after')).toBe('30');
  });
});
