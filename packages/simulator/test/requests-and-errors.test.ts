import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANTHROPIC_AUTH, anthropicClient, OPENAI_AUTH, openAIClient, post, useSimulator } from './helpers.ts';

const simulator = useSimulator({
  keys: ['sk-test-openai', 'sk-ant-test', 'sk-other'],
  models: [
    { id: 'custom-mini', provider: 'openai', contextWindow: 40, maxOutputTokens: 10 },
    { id: 'gpt-4o', provider: 'openai', contextWindow: 128_000, maxOutputTokens: 2048 },
  ],
});
const question = [{ role: 'user' as const, content: 'Explain the tides' }];

describe('authentication', () => {
  it('answers a wrong OpenAI key with 401 invalid_api_key, a missing one with 401', async () => {
    const error = await openAIClient(simulator.current, { apiKey: 'sk-wrong-key-123456' })
      .chat.completions.create({ model: 'gpt-4o', messages: question })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    expect((error as Error).message).toContain('Incorrect API key provided: sk-');
    expect((error as Error).message).not.toContain('sk-wrong-key-123456');
    const missing = await post(simulator.current, '/v1/chat/completions', {
      model: 'gpt-4o',
      messages: question,
    });
    expect(missing.status).toBe(401);
    expect(missing.json.error.message).toContain("You didn't provide an API key");
  });

  it('answers a wrong or missing Anthropic key with authentication_error', async () => {
    const error = await anthropicClient(simulator.current, { apiKey: 'nope' })
      .messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: question })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, type: 'authentication_error' });
    const missing = await post(
      simulator.current,
      '/v1/messages',
      { model: 'claude-haiku-4-5', max_tokens: 10, messages: question },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(missing.json).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
    });
    const counted = await post(
      simulator.current,
      '/v1/messages/count_tokens',
      { model: 'claude-haiku-4-5', messages: question },
      { 'x-api-key': 'nope' },
    );
    expect(counted.status).toBe(401);
  });

  it('protects the models endpoints too', async () => {
    const response = await fetch(`${simulator.current.url}/v1/models`);
    expect(response.status).toBe(401);
  });

  it('puts x-request-id / request-id on every response, errors included', async () => {
    const ok = await post(
      simulator.current,
      '/v1/chat/completions',
      { model: 'gpt-4o', messages: question },
      OPENAI_AUTH,
    );
    const bad = await post(simulator.current, '/v1/chat/completions', '{', OPENAI_AUTH);
    const unauthenticated = await post(simulator.current, '/v1/chat/completions', {});
    for (const response of [ok, bad, unauthenticated])
      expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const anthropicOk = await post(
      simulator.current,
      '/v1/messages',
      { model: 'claude-haiku-4-5', max_tokens: 5, messages: question },
      ANTHROPIC_AUTH,
    );
    const anthropicBad = await post(simulator.current, '/v1/messages', '{', ANTHROPIC_AUTH);
    for (const response of [anthropicOk, anthropicBad])
      expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(anthropicBad.json.request_id).toBe(anthropicBad.headers.get('request-id'));
  });
});

describe('malformed requests get the real 4xx shapes', () => {
  const openAICases: Array<[string, unknown, number, string | RegExp]> = [
    ['invalid JSON', '{"model": ', 400, /could not parse the JSON body/],
    ['a JSON array', '[]', 400, /expected an object/],
    ['no model', { messages: question }, 400, 'you must provide a model parameter'],
    ['no messages', { model: 'gpt-4o' }, 400, "Missing required parameter: 'messages'."],
    [
      'messages not an array',
      { model: 'gpt-4o', messages: 'hi' },
      400,
      "Invalid type for 'messages': expected an array, but got a string instead.",
    ],
    ['empty messages', { model: 'gpt-4o', messages: [] }, 400, /empty array/],
    [
      'a bad role',
      { model: 'gpt-4o', messages: [{ role: 'robot', content: 'x' }] },
      400,
      /Invalid value: 'robot'/,
    ],
    [
      'a missing content',
      { model: 'gpt-4o', messages: [{ role: 'user' }] },
      400,
      "Missing required parameter: 'messages[0].content'.",
    ],
    [
      'a numeric content',
      { model: 'gpt-4o', messages: [{ role: 'user', content: 5 }] },
      400,
      /Invalid type for 'messages\[0\].content'/,
    ],
    [
      'a stray tool message',
      { model: 'gpt-4o', messages: [{ role: 'tool', tool_call_id: 'call_1', content: 'x' }] },
      400,
      /must be a response to a preceeding message/,
    ],
    [
      'unanswered tool calls',
      {
        model: 'gpt-4o',
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'user', content: 'y' },
        ],
      },
      400,
      /did not have response messages: call_9/,
    ],
    [
      'max_tokens zero',
      { model: 'gpt-4o', messages: question, max_tokens: 0 },
      400,
      /integer below minimum value/,
    ],
    [
      'max_tokens a string',
      { model: 'gpt-4o', messages: question, max_tokens: 'ten' },
      400,
      /Invalid type for 'max_tokens'/,
    ],
    [
      'a tool without a name',
      { model: 'gpt-4o', messages: question, tools: [{ type: 'function', function: {} }] },
      400,
      /tools\[0\].function.name/,
    ],
    [
      'an unknown named tool',
      {
        model: 'gpt-4o',
        messages: question,
        tools: [],
        tool_choice: { type: 'function', function: { name: 'x' } },
      },
      400,
      /not found in 'tools'/,
    ],
    [
      'an unknown model',
      { model: 'gpt-0', messages: question },
      404,
      'The model `gpt-0` does not exist or you do not have access to it.',
    ],
  ];

  it.each(openAICases)('OpenAI: %s', async (_name, body, status, message) => {
    const response = await post(simulator.current, '/v1/chat/completions', body, OPENAI_AUTH);
    expect(response.status).toBe(status);
    expect(Object.keys(response.json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(response.json.error.message).toMatch(message);
  });

  const anthropicCases: Array<[string, unknown, number, string | RegExp]> = [
    ['invalid JSON', '{"model": ', 400, /not valid JSON/],
    ['no model', { max_tokens: 5, messages: question }, 400, 'model: Field required'],
    ['no messages', { model: 'claude-haiku-4-5', max_tokens: 5 }, 400, 'messages: Field required'],
    [
      'empty messages',
      { model: 'claude-haiku-4-5', max_tokens: 5, messages: [] },
      400,
      'messages: at least one message is required',
    ],
    [
      'messages not a list',
      { model: 'claude-haiku-4-5', max_tokens: 5, messages: {} },
      400,
      'messages: Input should be a valid list',
    ],
    [
      'a bad role',
      { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'robot', content: 'x' }] },
      400,
      /messages.0.role/,
    ],
    [
      'a block without type',
      { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: [{ text: 'x' }] }] },
      400,
      /messages.0.content.0/,
    ],
    [
      'max_tokens a string',
      { model: 'claude-haiku-4-5', max_tokens: 'x', messages: question },
      400,
      'max_tokens: Input should be a valid integer',
    ],
    [
      'an unanswered tool_use',
      {
        model: 'claude-haiku-4-5',
        max_tokens: 5,
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] },
          { role: 'user', content: 'y' },
        ],
      },
      400,
      /`tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/,
    ],
    ['an unknown model', { model: 'claude-0', max_tokens: 5, messages: question }, 404, 'model: claude-0'],
  ];

  it.each(anthropicCases)('Anthropic: %s', async (_name, body, status, message) => {
    const response = await post(simulator.current, '/v1/messages', body, ANTHROPIC_AUTH);
    expect(response.status).toBe(status);
    expect(response.json.type).toBe('error');
    expect(Object.keys(response.json.error).sort()).toEqual(['message', 'type']);
    expect(response.json.error.message).toMatch(message);
  });

  it('answers unknown routes with 404 in the provider shape', async () => {
    const openai = await post(simulator.current, '/v1/embeddingz', {}, OPENAI_AUTH);
    expect(openai.status).toBe(404);
    expect(openai.json.error.message).toBe('Invalid URL (POST /v1/embeddingz)');
    const anthropic = await post(simulator.current, '/v1/messages/batches-nope', {}, ANTHROPIC_AUTH);
    expect(anthropic.json).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('never crashes on arbitrary input and keeps serving', async () => {
    const paths = ['/v1/chat/completions', '/v1/messages', '/v1/messages/count_tokens', '/v1/models'];
    const body = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.string(),
      fc
        .record({
          model: fc.constantFrom('gpt-4o', 'claude-haiku-4-5', 'custom-mini'),
          messages: fc.jsonValue(),
          max_tokens: fc.jsonValue(),
          tools: fc.jsonValue(),
          stream: fc.boolean(),
        })
        .map((value) => JSON.stringify(value)),
      fc
        .record({
          model: fc.constantFrom('gpt-4o', 'claude-haiku-4-5'),
          max_tokens: fc.integer({ min: -5, max: 300 }),
          messages: fc.array(
            fc.record({
              role: fc.constantFrom('user', 'assistant', 'system', 'tool'),
              content: fc.oneof(fc.string(), fc.array(fc.jsonValue())),
            }),
          ),
          response_format: fc.jsonValue(),
          tool_choice: fc.jsonValue(),
          stop: fc.jsonValue(),
        })
        .map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), body, fc.boolean(), async (path, text, anthropic) => {
        const response = await post(simulator.current, path, text, anthropic ? ANTHROPIC_AUTH : OPENAI_AUTH);
        expect(response.status === 200 || (response.status >= 400 && response.status < 500)).toBe(true);
      }),
      { numRuns: 300 },
    );
    const nested = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const deepOpenAI = `{"model":"gpt-4o","messages":[{"role":"user","content":${nested}}]}`;
    expect((await post(simulator.current, '/v1/chat/completions', deepOpenAI, OPENAI_AUTH)).status).toBe(400);
    const deepTool = `{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{"a":${nested}}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"x"}]}]}`;
    expect((await post(simulator.current, '/v1/messages', deepTool, ANTHROPIC_AUTH)).status).toBe(400);
    expect(
      (await post(simulator.current, '/v1/messages/count_tokens', deepTool, ANTHROPIC_AUTH)).status,
    ).toBe(400);
    const completion = await openAIClient(simulator.current).chat.completions.create({
      model: 'gpt-4o',
      messages: question,
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(simulator.current.stats().statuses['500']).toBeUndefined();
  });

  it('refuses bodies over 32 MB with 413', async () => {
    const response = await post(
      simulator.current,
      '/v1/chat/completions',
      `{"model":"gpt-4o","messages":"${'x'.repeat(33 * 1024 * 1024)}"}`,
      OPENAI_AUTH,
    );
    expect(response.status).toBe(413);
  });
});

describe('context windows', () => {
  it('answers a prompt over the window with context_length_exceeded (OpenAI)', async () => {
    const long = [{ role: 'user' as const, content: 'tide '.repeat(600) }];
    const error = await openAIClient(simulator.current)
      .chat.completions.create({ model: 'gpt-sim-tiny', messages: long })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: 'context_length_exceeded', param: 'messages' });
    expect((error as Error).message).toMatch(
      /This model's maximum context length is 512 tokens. However, your messages resulted in \d+ tokens/,
    );
  });

  it('answers a prompt over the window with "prompt is too long" (Anthropic)', async () => {
    const error = await anthropicClient(simulator.current)
      .messages.create({
        model: 'claude-sim-tiny',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'tide '.repeat(600) }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect((error as Error).message).toMatch(/prompt is too long: \d+ tokens > 512 maximum/);
  });

  it('takes extra and overriding models from options', async () => {
    const client = openAIClient(simulator.current);
    await expect(
      client.chat.completions.create({
        model: 'custom-mini',
        messages: [{ role: 'user', content: 'tide '.repeat(50) }],
      }),
    ).rejects.toMatchObject({
      code: 'context_length_exceeded',
    });
    const short = await client.chat.completions.create({
      model: 'custom-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(short.usage?.completion_tokens).toBeLessThanOrEqual(10);
    expect(short.choices[0]?.finish_reason).toBe('length');
    await expect(
      client.chat.completions.create({ model: 'gpt-4o', messages: question, max_tokens: 4096 }),
    ).rejects.toMatchObject({ status: 400 });
  });
});
