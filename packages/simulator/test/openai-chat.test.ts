import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { countOpenAIChatTokens } from '../src/index.ts';
import { countO200kTokens } from '../src/o200k-tokens.ts';
import { OPENAI_AUTH, openAIClient, post, schemaErrors, useSimulator } from './helpers.ts';

const simulator = useSimulator();
const question = [{ role: 'user' as const, content: 'Explain how ocean tides follow the moon and the sun' }];

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Get the current weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 7 },
        hourly: { type: 'boolean' },
      },
      required: ['city', 'unit', 'days', 'hourly'],
      additionalProperties: false,
    },
  },
};

describe('OpenAI chat completions', () => {
  it('answers with readable text built from the prompt and exact usage', async () => {
    const completion = await openAIClient(simulator.current).chat.completions.create({
      model: 'gpt-4o',
      messages: question,
    });
    const [choice] = completion.choices;
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(choice?.finish_reason).toBe('stop');
    const content = choice?.message.content ?? '';
    expect(content).toMatch(/^[A-Z].*\.$/);
    expect(content).toMatch(/tides|ocean|moon|sun|follow/);
    expect(completion.usage?.prompt_tokens).toBe(countOpenAIChatTokens({ messages: question }));
    expect(completion.usage?.completion_tokens).toBe(countO200kTokens(content));
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it('counts prompt tokens with o200k plus the documented chat framing', () => {
    const hello = countOpenAIChatTokens({ messages: [{ role: 'user', content: 'Hello' }] });
    expect(hello).toBe(3 + countO200kTokens('user') + countO200kTokens('Hello') + 3);
    const withName = countOpenAIChatTokens({ messages: [{ role: 'user', content: 'Hello', name: 'ada' }] });
    expect(withName).toBe(hello + 1 + countO200kTokens('ada'));
    const withTool = countOpenAIChatTokens({
      messages: [{ role: 'user', content: 'Hello' }],
      tools: [weatherTool],
    });
    const fn = weatherTool.function;
    expect(withTool).toBe(
      hello +
        12 +
        8 +
        countO200kTokens(fn.name) +
        countO200kTokens(fn.description) +
        countO200kTokens(JSON.stringify(fn.parameters)),
    );
  });

  it('is deterministic: the same body gives the same answer, a different one another', async () => {
    const client = openAIClient(simulator.current);
    const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: question });
    const second = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: question });
    const other = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Describe volcanoes and lava' }],
    });
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(other.choices[0]?.message.content).not.toBe(first.choices[0]?.message.content);
    expect(other.choices[0]?.message.content).toMatch(/volcanoes|lava|describe/);
  });

  it('streams SSE chunks with a final usage chunk when include_usage is set', async () => {
    const client = openAIClient(simulator.current);
    const plain = await client.chat.completions.create({ model: 'gpt-4.1', messages: question });
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1',
      messages: question,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishes: Array<string | null | undefined> = [];
    let usage: unknown;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(5);
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(finishes.at(-1)).toBe('stop');
    expect(usage).toEqual(plain.usage);
  });

  it('streams without a usage chunk when include_usage is not set', async () => {
    const stream = await openAIClient(simulator.current).chat.completions.create({
      model: 'gpt-4o',
      messages: question,
      stream: true,
    });
    for await (const chunk of stream) expect(chunk.usage ?? undefined).toBeUndefined();
  });

  it('works with the chat.completions.stream helper', async () => {
    const client = openAIClient(simulator.current);
    const stream = client.chat.completions.stream({
      model: 'gpt-5.6-luna',
      messages: question,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const final = await stream.finalChatCompletion();
    expect(deltas.join('')).toBe(final.choices[0]?.message.content);
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(final.usage?.prompt_tokens).toBe(countOpenAIChatTokens({ messages: question }));
  });

  it('calls a tool with arguments that validate against its parameter schema', async () => {
    const completion = await openAIClient(simulator.current).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [weatherTool],
    });
    const [choice] = completion.choices;
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    expect(call?.id).toMatch(/^call_/);
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(schemaErrors(weatherTool.function.parameters, JSON.parse(call.function.arguments))).toEqual([]);
    expect(completion.usage?.completion_tokens).toBe(
      countO200kTokens('get_weather') + countO200kTokens(call.function.arguments),
    );
  });

  it('picks the tool matching the prompt and streams tool-call deltas with index and function', async () => {
    const searchTool = {
      type: 'function' as const,
      function: {
        name: 'search_docs',
        description: 'Search the documentation',
        parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
      },
    };
    const stream = openAIClient(simulator.current).chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'What is the weather like in Oslo?' }],
      tools: [searchTool, weatherTool],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(schemaErrors(weatherTool.function.parameters, JSON.parse(call.function.arguments))).toEqual([]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('answers in prose after the tool result turn', async () => {
    const client = openAIClient(simulator.current);
    const messages: Parameters<typeof client.chat.completions.create>[0]['messages'] = [
      { role: 'user', content: 'What is the weather in Paris?' },
    ];
    const first = await client.chat.completions.create({ model: 'gpt-4o', messages, tools: [weatherTool] });
    const assistant = first.choices[0]?.message;
    const call = assistant?.tool_calls?.[0];
    if (!assistant || call?.type !== 'function') throw new Error('expected a function call');
    messages.push(assistant, {
      role: 'tool',
      tool_call_id: call.id,
      content: 'Sunny with light wind, 24 degrees',
    });
    const second = await client.chat.completions.create({ model: 'gpt-4o', messages, tools: [weatherTool] });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toMatch(/^According to the tool result/);
    expect(second.choices[0]?.message.content).toMatch(/sunny|wind|degrees/);
  });

  it('honours tool_choice none, required and a named function', async () => {
    const client = openAIClient(simulator.current);
    const base = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: 'Tell me a story about dragons' }],
      tools: [weatherTool],
    };
    const none = await client.chat.completions.create({ ...base, tool_choice: 'none' });
    expect(none.choices[0]?.finish_reason).toBe('stop');
    const required = await client.chat.completions.create({ ...base, tool_choice: 'required' });
    expect(required.choices[0]?.finish_reason).toBe('tool_calls');
    const named = await client.chat.completions.create({
      ...base,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect(named.choices[0]?.message.tool_calls?.[0]?.type).toBe('function');
  });

  it('parses structured output with zodResponseFormat and zodFunction', async () => {
    const Recipe = z.object({
      title: z.string(),
      servings: z.number().int().positive(),
      difficulty: z.enum(['easy', 'medium', 'hard']),
      ingredients: z.array(z.object({ name: z.string(), grams: z.number().positive() })).min(1),
      vegetarian: z.boolean(),
      source: z.string().url().nullable(),
    });
    const client = openAIClient(simulator.current);
    const parsed = await client.chat.completions.parse({
      model: 'gpt-5.6-terra',
      messages: [{ role: 'user', content: 'Give me a pancake recipe' }],
      response_format: zodResponseFormat(Recipe, 'recipe'),
    });
    const value = parsed.choices[0]?.message.parsed;
    expect(Recipe.safeParse(value).success).toBe(true);
    expect(value?.ingredients.length).toBeGreaterThan(0);

    const withTool = await client.chat.completions.parse({
      model: 'gpt-5.6-terra',
      messages: [{ role: 'user', content: 'Save this recipe' }],
      tools: [zodFunction({ name: 'save_recipe', parameters: Recipe })],
    });
    const call = withTool.choices[0]?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(Recipe.safeParse(call.function.parsed_arguments).success).toBe(true);
  });

  it('streams structured output and parseable tool calls through the chat.completions.stream helper', async () => {
    const Plan = z.object({
      steps: z.array(z.object({ title: z.string(), minutes: z.number().int().positive() })).min(1),
      done: z.boolean(),
    });
    const client = openAIClient(simulator.current);
    const structured = await client.chat.completions
      .stream({
        model: 'gpt-5.4',
        messages: [{ role: 'user', content: 'Plan my morning' }],
        response_format: zodResponseFormat(Plan, 'plan'),
      })
      .finalChatCompletion();
    expect(Plan.safeParse(structured.choices[0]?.message.parsed).success).toBe(true);
    const withTool = await client.chat.completions
      .stream({
        model: 'gpt-5.4',
        messages: [{ role: 'user', content: 'Save my morning plan' }],
        tools: [zodFunction({ name: 'save_plan', parameters: Plan })],
      })
      .finalChatCompletion();
    const call = withTool.choices[0]?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(Plan.safeParse(call.function.parsed_arguments).success).toBe(true);
  });

  it('returns content that validates against a raw json_schema, and a JSON object in json_object mode', async () => {
    const schema = {
      type: 'object',
      properties: {
        summary: { type: 'string' },
        score: { type: 'number', minimum: 0, maximum: 10 },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['summary', 'score', 'tags'],
      additionalProperties: false,
    };
    const client = openAIClient(simulator.current);
    const structured = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: question,
      response_format: { type: 'json_schema', json_schema: { name: 'review', schema, strict: true } },
    });
    expect(schemaErrors(schema, JSON.parse(structured.choices[0]?.message.content ?? ''))).toEqual([]);
    const object = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Reply in JSON about the tides' }],
      response_format: { type: 'json_object' },
    });
    const value = JSON.parse(object.choices[0]?.message.content ?? '');
    expect(typeof value).toBe('object');
    expect(value.answer).toMatch(/tides|json|reply/);
  });

  it('requires the word json in the messages for json_object mode, as the real API does', async () => {
    const response = await post(
      simulator.current,
      '/v1/chat/completions',
      { model: 'gpt-4o', messages: question, response_format: { type: 'json_object' } },
      OPENAI_AUTH,
    );
    expect(response.status).toBe(400);
    expect(response.json.error.message).toContain("must contain the word 'json'");
  });

  it('honours max_tokens and max_completion_tokens with finish_reason length', async () => {
    const client = openAIClient(simulator.current);
    const short = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: question,
      max_tokens: 5,
    });
    expect(short.choices[0]?.finish_reason).toBe('length');
    expect(short.usage?.completion_tokens).toBe(5);
    expect(countO200kTokens(short.choices[0]?.message.content ?? '')).toBeLessThanOrEqual(5);
    const newer = await client.chat.completions.create({
      model: 'gpt-5.6-sol',
      messages: question,
      max_completion_tokens: 3,
    });
    expect(newer.choices[0]?.finish_reason).toBe('length');
    expect(newer.usage?.completion_tokens).toBe(3);
  });

  it('honours stop sequences', async () => {
    const client = openAIClient(simulator.current);
    const full =
      (await client.chat.completions.create({ model: 'gpt-4o', messages: question })).choices[0]?.message
        .content ?? '';
    const words = full.split(' ');
    const stopWord = words[Math.floor(words.length / 2)] as string;
    const cut = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: question,
      stop: [stopWord],
    });
    expect(cut.choices[0]?.finish_reason).toBe('stop');
    expect(cut.choices[0]?.message.content).toBe(full.slice(0, full.indexOf(stopWord)));
    const streamed = client.chat.completions.stream({ model: 'gpt-4o', messages: question, stop: stopWord });
    expect((await streamed.finalChatCompletion()).choices[0]?.message.content).toBe(
      full.slice(0, full.indexOf(stopWord)),
    );
  });

  it('forces the answer length with x-sim-answer-tokens', async () => {
    const completion = await openAIClient(simulator.current).chat.completions.create(
      { model: 'gpt-4o', messages: question },
      { headers: { 'x-sim-answer-tokens': '300' } },
    );
    expect(completion.usage?.completion_tokens).toBe(300);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('serves the open models on the OpenAI endpoint', async () => {
    const client = openAIClient(simulator.current);
    for (const model of ['llama-3.1-8b', 'qwen-3-8b']) {
      const completion = await client.chat.completions.create({ model, messages: question });
      expect(completion.model).toBe(model);
    }
  });

  it('accepts system and developer messages, content parts and images', async () => {
    const completion = await openAIClient(simulator.current).chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer about astronomy.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture of stars?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toMatch(/picture|stars/);
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(85);
  });

  it('lists models and reports unknown ones with the real 404 shape', async () => {
    const client = openAIClient(simulator.current);
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    for (const id of [
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
      'llama-3.1-8b',
      'qwen-3-8b',
    ]) {
      expect(ids).toContain(id);
    }
    expect(ids.some((id) => id.startsWith('claude'))).toBe(false);
    expect((await client.models.retrieve('gpt-4o')).owned_by).toBe('openai');
    const error = await client.chat.completions
      .create({ model: 'gpt-nope', messages: question })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', type: 'invalid_request_error' });
    expect(
      await client.models.retrieve('gpt-nope').catch((caught: { status: number }) => caught.status),
    ).toBe(404);
  });

  it('rejects max_tokens above the model limit with the real error', async () => {
    const error = await openAIClient(simulator.current)
      .chat.completions.create({ model: 'gpt-4o', messages: question, max_tokens: 100_000 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, param: 'max_tokens', code: 'invalid_value' });
    expect((error as Error).message).toContain('max_tokens is too large: 100000');
  });
});
