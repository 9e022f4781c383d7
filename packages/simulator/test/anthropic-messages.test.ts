import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anthropicTextTokens } from '../src/estimate-anthropic-tokens.ts';
import { estimateAnthropicTokens } from '../src/index.ts';
import { ANTHROPIC_AUTH, anthropicClient, post, schemaErrors, useSimulator } from './helpers.ts';

const simulator = useSimulator();
const question = [{ role: 'user' as const, content: 'Explain how ocean tides follow the moon and the sun' }];

const weatherTool = {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: {
      city: { type: 'string' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      days: { type: 'integer', minimum: 1, maximum: 7 },
    },
    required: ['city', 'unit'],
  },
};

describe('Anthropic messages', () => {
  it('answers with a text block, end_turn and the documented token estimate', async () => {
    const message = await anthropicClient(simulator.current).messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 400,
      messages: question,
    });
    expect(message.type).toBe('message');
    expect(message.id).toMatch(/^msg_01/);
    expect(message.role).toBe('assistant');
    expect(message.stop_reason).toBe('end_turn');
    const block = message.content[0];
    if (block?.type !== 'text') throw new Error('expected a text block');
    expect(block.text).toMatch(/tides|ocean|moon|sun/);
    expect(message.usage.input_tokens).toBe(estimateAnthropicTokens({ messages: question }));
    expect(message.usage.input_tokens).toBe(3 + anthropicTextTokens(question[0]?.content ?? ''));
    expect(message.usage.output_tokens).toBe(anthropicTextTokens(block.text));
    expect(message.usage.cache_read_input_tokens).toBe(0);
    expect(message.usage.cache_creation_input_tokens).toBe(0);
  });

  it('streams the real event sequence, and the text equals the non-streaming answer', async () => {
    const client = anthropicClient(simulator.current);
    const plain = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 400,
      messages: question,
    });
    const stream = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 400,
      messages: question,
      stream: true,
    });
    const types: string[] = [];
    let text = '';
    let startUsage: unknown;
    let finalUsage: { output_tokens: number; input_tokens: number | null } | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'message_start') startUsage = event.message.usage;
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      if (event.type === 'message_delta') {
        expect(event.delta.stop_reason).toBe('end_turn');
        finalUsage = event.usage;
      }
    }
    const deltas = types.filter((type) => type === 'content_block_delta').length;
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      ...Array(deltas).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(deltas).toBeGreaterThan(3);
    expect(startUsage).toMatchObject({ input_tokens: plain.usage.input_tokens });
    const block = plain.content[0];
    expect(block?.type === 'text' && block.text).toBe(text);
    expect(finalUsage).toMatchObject({
      output_tokens: plain.usage.output_tokens,
      input_tokens: plain.usage.input_tokens,
    });
  });

  it('sends a ping event after content_block_start on the wire', async () => {
    const response = await post(
      simulator.current,
      '/v1/messages',
      { model: 'claude-haiku-4-5', max_tokens: 50, messages: question, stream: true },
      ANTHROPIC_AUTH,
    );
    const events = [...response.text.matchAll(/^event: (\S+)$/gm)].map((match) => match[1]);
    expect(events.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
  });

  it('works with messages.stream().finalMessage() and text events', async () => {
    const stream = anthropicClient(simulator.current).messages.stream({
      model: 'claude-opus-4-8',
      max_tokens: 400,
      messages: question,
    });
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('end_turn');
    expect(final.content[0]?.type === 'text' && final.content[0].text).toBe(deltas.join(''));
    expect(await stream.finalText()).toBe(deltas.join(''));
  });

  it('calls a tool with schema-valid input, then accepts the tool_result turn (extra fields kept)', async () => {
    const client = anthropicClient(simulator.current);
    const messages: Parameters<typeof client.messages.create>[0]['messages'] = [
      { role: 'user', content: 'What is the weather in Lisbon?' },
    ];
    const first = await client.messages.create({
      model: 'claude-sonnet-5',
      max_tokens: 500,
      messages,
      tools: [weatherTool],
    });
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((block) => block.type === 'tool_use');
    if (use?.type !== 'tool_use') throw new Error('expected tool_use');
    expect(use.id).toMatch(/^toolu_01/);
    expect(use.name).toBe('get_weather');
    expect(schemaErrors(weatherTool.input_schema, use.input)).toEqual([]);
    // The SDK hands back the blocks as received, including fields like `caller`.
    messages.push({ role: 'assistant', content: first.content as never });
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Cloudy and mild, 19 degrees' }],
    });
    const second = await client.messages.create({
      model: 'claude-sonnet-5',
      max_tokens: 500,
      messages,
      tools: [weatherTool],
    });
    expect(second.stop_reason).toBe('end_turn');
    const text = second.content[0];
    expect(text?.type === 'text' && text.text).toMatch(
      /^According to the tool result.*(cloudy|mild|degrees)/,
    );
  });

  it('streams tool input as input_json_delta and the SDK assembles it', async () => {
    const stream = anthropicClient(simulator.current).messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 500,
      messages: [{ role: 'user', content: 'Weather in Rome please' }],
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
    });
    const partials: string[] = [];
    stream.on('inputJson', (partial) => partials.push(partial));
    const final = await stream.finalMessage();
    const use = final.content[0];
    if (use?.type !== 'tool_use') throw new Error('expected tool_use');
    expect(partials.join('')).toBe(JSON.stringify(use.input));
    expect(schemaErrors(weatherTool.input_schema, use.input)).toEqual([]);
  });

  it('rejects a tool_result without a matching tool_use, as the real API does', async () => {
    const error = await anthropicClient(simulator.current)
      .messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 100,
        messages: [
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_missing', content: 'x' }] },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect((error as Error).message).toContain('unexpected `tool_use_id`');
  });

  it('parses structured output with messages.parse and zodOutputFormat', async () => {
    const Trip = z.object({
      destination: z.string(),
      nights: z.number().int().min(1).max(30),
      budget: z.number().positive(),
      travellers: z.array(z.object({ name: z.string(), email: z.string().email() })).min(2),
      kind: z.enum(['beach', 'city', 'mountain']),
      notes: z.string().nullable(),
    });
    const client = anthropicClient(simulator.current);
    const message = await client.messages.parse({
      model: 'claude-sonnet-4-6',
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'Plan a trip' }],
      output_config: { format: zodOutputFormat(Trip) },
    });
    expect(Trip.safeParse(message.parsed_output).success).toBe(true);
    expect(message.parsed_output?.travellers.length).toBeGreaterThanOrEqual(2);
    const streamed = await client.messages
      .stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 1000,
        messages: [{ role: 'user', content: 'Plan a trip' }],
        output_config: { format: zodOutputFormat(Trip) },
      })
      .finalMessage();
    expect(streamed.parsed_output).toEqual(message.parsed_output);
  });

  it('counts tokens with count_tokens exactly as the messages endpoint bills them', async () => {
    const client = anthropicClient(simulator.current);
    const body = {
      model: 'claude-haiku-4-5',
      system: [{ type: 'text' as const, text: 'You are a meteorologist.' }],
      messages: [{ role: 'user' as const, content: 'Weather in Lisbon?' }],
      tools: [weatherTool],
    };
    const counted = await client.messages.countTokens(body);
    const message = await client.messages.create({ ...body, max_tokens: 200 });
    const usage = message.usage;
    expect(counted.input_tokens).toBe(
      usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0),
    );
    expect(counted.input_tokens).toBe(estimateAnthropicTokens(body));
  });

  it('accepts system as a string, as blocks, and role system inside messages', async () => {
    const client = anthropicClient(simulator.current);
    const asString = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      system: 'Be brief.',
      messages: question,
    });
    const asBlocks = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: question,
    });
    expect(asString.usage.input_tokens).toBe(asBlocks.usage.input_tokens);
    expect(asString.usage.input_tokens).toBe(
      estimateAnthropicTokens({ messages: question }) + anthropicTextTokens('Be brief.'),
    );
    const inline = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'system', content: 'Be brief.' }, ...question],
    });
    expect(inline.stop_reason).toBe('end_turn');
  });

  it('honours max_tokens (stop_reason max_tokens) and stop_sequences', async () => {
    const client = anthropicClient(simulator.current);
    const short = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 4,
      messages: question,
    });
    expect(short.stop_reason).toBe('max_tokens');
    expect(short.usage.output_tokens).toBe(4);
    const full = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 400,
      messages: question,
    });
    const text = full.content[0]?.type === 'text' ? full.content[0].text : '';
    const words = text.split(' ');
    const stop = words[Math.floor(words.length / 2)] as string;
    const stopped = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 400,
      messages: question,
      stop_sequences: ['zzz-never', stop],
    });
    expect(stopped.stop_reason).toBe('stop_sequence');
    expect(stopped.stop_sequence).toBe(stop);
    expect(stopped.content[0]?.type === 'text' && stopped.content[0].text).toBe(
      text.slice(0, text.indexOf(stop)),
    );
  });

  it('accepts x-api-key, Authorization Bearer, any anthropic-version and unknown betas', async () => {
    const body = { model: 'claude-haiku-4-5', max_tokens: 20, messages: question };
    const viaKey = await post(simulator.current, '/v1/messages', body, {
      'x-api-key': 'k1',
      'anthropic-version': '2023-06-01',
    });
    const viaBearer = await post(simulator.current, '/v1/messages', body, {
      authorization: 'Bearer k2',
      'anthropic-version': '2026-10-21',
      'anthropic-beta': 'made-up-beta-2099-01-01',
    });
    expect(viaKey.status).toBe(200);
    expect(viaBearer.status).toBe(200);
    expect(viaKey.headers.get('request-id')).toMatch(/^req_/);
  });

  it('lists Anthropic models and answers unknown ones with not_found_error', async () => {
    const client = anthropicClient(simulator.current);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    for (const id of [
      'claude-opus-4-8',
      'claude-opus-4-7',
      'claude-sonnet-5',
      'claude-sonnet-4-6',
      'claude-haiku-4-5',
    ])
      expect(ids).toContain(id);
    const error = await client.messages
      .create({ model: 'claude-nope', max_tokens: 10, messages: question })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, type: 'not_found_error' });
  });

  it('rejects max_tokens above the model limit and requires max_tokens', async () => {
    const tooMany = await post(
      simulator.current,
      '/v1/messages',
      { model: 'claude-haiku-4-5', max_tokens: 100_000, messages: question },
      ANTHROPIC_AUTH,
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.message).toBe(
      'max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5',
    );
    const missing = await post(
      simulator.current,
      '/v1/messages',
      { model: 'claude-haiku-4-5', messages: question },
      ANTHROPIC_AUTH,
    );
    expect(missing.json).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
    expect(missing.json.request_id).toBe(missing.headers.get('request-id'));
  });
});
