import type {
  Message,
  MessageParam,
  RawMessageStreamEvent,
  ToolUseBlock,
} from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { anthropicTextTokens } from '../src/estimate-anthropic-tokens.ts';
import { anthropicClient, faults, schemaErrors, useSimulator } from './helpers.ts';

const simulator = useSimulator();

const tools = [
  {
    name: 'search_docs',
    description: 'Search the documentation',
    input_schema: {
      type: 'object' as const,
      properties: { query: { type: 'string' } },
      required: ['query'],
      additionalProperties: false,
    },
  },
  {
    name: 'get_weather',
    description: 'Get the current weather for a city',
    input_schema: {
      type: 'object' as const,
      properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
      required: ['city', 'days'],
      additionalProperties: false,
    },
  },
  {
    name: 'send_email',
    description: 'Send an email',
    input_schema: {
      type: 'object' as const,
      properties: { to: { type: 'string', format: 'email' }, subject: { type: 'string' } },
      required: ['to', 'subject'],
      additionalProperties: false,
    },
  },
];
const schemaOf = (name: string) => tools.find((entry) => entry.name === name)?.input_schema ?? {};
const twoTools = 'Call get_weather for Oslo and search_docs for umbrellas, please.';
const threeTools = 'First send_email to Ada, then get_weather in Rome, then search_docs about ferries.';
const model = 'claude-sonnet-4-6';

const toolUses = (message: Message) =>
  message.content.filter((block): block is ToolUseBlock => block.type === 'tool_use');

/** The assistant turn followed by a user turn with one `tool_result` per `tool_use`. */
function withResults(messages: MessageParam[], message: Message): MessageParam[] {
  return [
    ...messages,
    { role: 'assistant', content: message.content as MessageParam['content'] },
    {
      role: 'user',
      content: toolUses(message).map((use) => ({
        type: 'tool_result' as const,
        tool_use_id: use.id,
        content: `${use.name} finished: harbour lanterns glowing`,
      })),
    },
  ];
}

describe('Anthropic parallel tool use', () => {
  it('returns two tool_use blocks in one message, then answers in text once both results are back', async () => {
    const client = anthropicClient(simulator.current);
    const messages: MessageParam[] = [{ role: 'user', content: twoTools }];
    const first = await client.messages.create({ model, max_tokens: 500, messages, tools });
    expect(first.stop_reason).toBe('tool_use');
    const uses = toolUses(first);
    expect(first.content).toHaveLength(2);
    expect(uses.map((use) => use.name)).toEqual(['get_weather', 'search_docs']);
    expect(new Set(uses.map((use) => use.id)).size).toBe(2);
    for (const use of uses) {
      expect(use.id).toMatch(/^toolu_01/);
      expect(schemaErrors(schemaOf(use.name), use.input)).toEqual([]);
    }
    expect(first.usage.output_tokens).toBe(
      uses.reduce(
        (sum, use) => sum + anthropicTextTokens(use.name) + anthropicTextTokens(JSON.stringify(use.input)),
        0,
      ),
    );

    const second = await client.messages.create({
      model,
      max_tokens: 500,
      messages: withResults(messages, first),
      tools,
    });
    expect(second.stop_reason).toBe('end_turn');
    const [text] = second.content;
    expect(text?.type === 'text' && text.text).toMatch(/^According to the tool result/);
  });

  it('streams three tool_use blocks with indexes 0..2 that messages.stream assembles, equal to the non-streamed ones', async () => {
    const client = anthropicClient(simulator.current);
    const messages: MessageParam[] = [{ role: 'user', content: threeTools }];
    const plain = await client.messages.create({ model, max_tokens: 500, messages, tools });
    const stream = client.messages.stream({ model, max_tokens: 500, messages, tools });
    const events: RawMessageStreamEvent[] = [];
    stream.on('streamEvent', (event) => events.push(event));
    const final = await stream.finalMessage();

    const blockEvents = events
      .filter((event) => event.type.startsWith('content_block_'))
      .map((event) => `${event.type.slice('content_block_'.length)}:${'index' in event ? event.index : ''}`);
    // One start, its deltas and one stop per block, blocks one after another.
    expect(blockEvents.filter((entry) => !entry.startsWith('delta'))).toEqual([
      'start:0',
      'stop:0',
      'start:1',
      'stop:1',
      'start:2',
      'stop:2',
    ]);
    for (const index of [0, 1, 2]) {
      const start = blockEvents.indexOf(`start:${index}`);
      const stop = blockEvents.indexOf(`stop:${index}`);
      expect(blockEvents.slice(start + 1, stop).every((entry) => entry === `delta:${index}`)).toBe(true);
      expect(stop - start).toBeGreaterThan(1);
    }
    const starts = events.flatMap((event) =>
      event.type === 'content_block_start' && event.content_block.type === 'tool_use'
        ? [event.content_block]
        : [],
    );
    expect(starts.map((block) => block.name)).toEqual(['send_email', 'get_weather', 'search_docs']);

    const streamed = toolUses(final);
    expect(streamed.map((use) => use.id)).toEqual(starts.map((block) => block.id));
    expect(new Set(streamed.map((use) => use.id)).size).toBe(3);
    expect(streamed.map(({ name, input }) => ({ name, input }))).toEqual(
      toolUses(plain).map(({ name, input }) => ({ name, input })),
    );
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage.output_tokens).toBe(plain.usage.output_tokens);
    expect(final.usage.input_tokens).toBe(plain.usage.input_tokens);

    const answer = await client.messages
      .stream({ model, max_tokens: 500, messages: withResults(messages, final), tools })
      .finalMessage();
    expect(answer.stop_reason).toBe('end_turn');
    const [text] = answer.content;
    expect(text?.type === 'text' && text.text).toMatch(/^According to the tool result/);
  });

  it('makes one call when disable_parallel_tool_use is set or tool_choice names a tool', async () => {
    const client = anthropicClient(simulator.current);
    const base = {
      model,
      max_tokens: 500,
      messages: [{ role: 'user' as const, content: threeTools }],
      tools,
    };
    for (const type of ['auto', 'any'] as const) {
      const serial = await client.messages.create({
        ...base,
        tool_choice: { type, disable_parallel_tool_use: true },
      });
      expect(toolUses(serial)).toHaveLength(1);
      expect(serial.stop_reason).toBe('tool_use');
      const parallel = await client.messages.create({ ...base, tool_choice: { type } });
      expect(toolUses(parallel)).toHaveLength(3);
    }
    const streamedSerial = await client.messages
      .stream({ ...base, tool_choice: { type: 'auto', disable_parallel_tool_use: true } })
      .finalMessage();
    expect(streamedSerial.content).toHaveLength(1);
    const named = await client.messages.create({
      ...base,
      tool_choice: { type: 'tool', name: 'search_docs' },
    });
    expect(toolUses(named).map((use) => use.name)).toEqual(['search_docs']);
  });

  it('requires a tool_result for every tool_use of the turn', async () => {
    const client = anthropicClient(simulator.current);
    const messages: MessageParam[] = [{ role: 'user', content: twoTools }];
    const first = await client.messages.create({ model, max_tokens: 500, messages, tools });
    const turns = withResults(messages, first);
    const results = turns.at(-1)?.content as unknown[];
    const error = await client.messages
      .create({
        model,
        max_tokens: 500,
        messages: [...turns.slice(0, -1), { role: 'user', content: results.slice(0, 1) as never }],
        tools,
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400 });
    expect((error as Error).message).toContain(toolUses(first)[1]?.id);
  });

  it('bad-tool-args breaks only the first call, streamed or not', async () => {
    const client = anthropicClient(simulator.current);
    const body = { model, max_tokens: 500, messages: [{ role: 'user' as const, content: twoTools }], tools };
    const check = (message: Message) => {
      const [first, second] = toolUses(message);
      if (!first || !second) throw new Error('expected two tool_use blocks');
      expect(schemaErrors(schemaOf(first.name), first.input)).not.toEqual([]);
      expect(schemaErrors(schemaOf(second.name), second.input)).toEqual([]);
    };
    check(await client.messages.create(body, faults('bad-tool-args')));
    check(await client.messages.stream(body, faults('bad-tool-args')).finalMessage());
  });

  it('bills exactly the usage it reports, streamed included', async () => {
    const client = anthropicClient(simulator.current, { apiKey: 'sk-ant-parallel-meter' });
    const body = {
      model,
      max_tokens: 500,
      messages: [{ role: 'user' as const, content: threeTools }],
      tools,
    };
    const plain = await client.messages.create(body);
    const streamed = await client.messages.stream(body).finalMessage();
    const stats = simulator.current.stats().byKey['sk-ant-parallel-meter'];
    expect(stats).toMatchObject({
      requests: 2,
      inputTokens: plain.usage.input_tokens + streamed.usage.input_tokens,
      outputTokens: plain.usage.output_tokens + streamed.usage.output_tokens,
    });
  });
});
