import type OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { countO200kTokens } from '../src/o200k-tokens.ts';
import { faults, openAIClient, schemaErrors, useSimulator } from './helpers.ts';

const simulator = useSimulator();

const tool = (name: string, description: string, parameters: Record<string, unknown>) => ({
  type: 'function' as const,
  function: { name, description, parameters },
});
const tools = [
  tool('search_docs', 'Search the documentation', {
    type: 'object',
    properties: { query: { type: 'string' } },
    required: ['query'],
    additionalProperties: false,
  }),
  tool('get_weather', 'Get the current weather for a city', {
    type: 'object',
    properties: {
      city: { type: 'string' },
      days: { type: 'integer', minimum: 1, maximum: 7 },
    },
    required: ['city', 'days'],
    additionalProperties: false,
  }),
  tool('send_email', 'Send an email', {
    type: 'object',
    properties: { to: { type: 'string', format: 'email' }, subject: { type: 'string' } },
    required: ['to', 'subject'],
    additionalProperties: false,
  }),
];
const schemaOf = (name: string) =>
  tools.find((entry) => entry.function.name === name)?.function.parameters ?? {};
const twoTools = 'Call get_weather for Oslo and search_docs for umbrellas, please.';
const threeTools = 'First send_email to Ada, then get_weather in Rome, then search_docs about ferries.';

function functionCalls(completion: ChatCompletion): ChatCompletionMessageFunctionToolCall[] {
  return (completion.choices[0]?.message.tool_calls ?? []).filter(
    (call): call is ChatCompletionMessageFunctionToolCall => call.type === 'function',
  );
}

/** The assistant turn followed by one tool message per call, as `withTools` sends them back. */
function withResults(
  messages: ChatCompletionMessageParam[],
  completion: ChatCompletion,
): ChatCompletionMessageParam[] {
  const assistant = completion.choices[0]?.message;
  if (!assistant) throw new Error('expected an assistant message');
  return [
    ...messages,
    assistant,
    ...functionCalls(completion).map((call) => ({
      role: 'tool' as const,
      tool_call_id: call.id,
      content: `${call.function.name} finished: harbour lanterns glowing`,
    })),
  ];
}

describe('OpenAI parallel tool calls', () => {
  it('calls two named tools in one turn, then answers in text once both results are back', async () => {
    const client = openAIClient(simulator.current);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: twoTools }];
    const first = await client.chat.completions.create({ model: 'gpt-4o', messages, tools });
    const [choice] = first.choices;
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const calls = functionCalls(first);
    expect(calls.map((call) => call.function.name)).toEqual(['get_weather', 'search_docs']);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    for (const call of calls) {
      expect(call.id).toMatch(/^call_/);
      expect(schemaErrors(schemaOf(call.function.name), JSON.parse(call.function.arguments))).toEqual([]);
    }
    expect(first.usage?.completion_tokens).toBe(
      calls.reduce(
        (sum, call) => sum + countO200kTokens(call.function.name) + countO200kTokens(call.function.arguments),
        0,
      ),
    );

    const second = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: withResults(messages, first),
      tools,
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.tool_calls ?? []).toEqual([]);
    expect(second.choices[0]?.message.content).toMatch(/^According to the tool result/);
  });

  it('streams three calls with indexes 0..2 that chat.completions.stream assembles, equal to the non-streamed ones', async () => {
    const client = openAIClient(simulator.current);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: threeTools }];
    const plain = await client.chat.completions.create({ model: 'gpt-4o', messages, tools });
    const stream = client.chat.completions.stream({
      model: 'gpt-4o',
      messages,
      tools,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    stream.on('chunk', (chunk) => chunks.push(chunk));
    const final = await stream.finalChatCompletion();

    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    const openings = deltas.filter((delta) => delta.id !== undefined);
    expect(openings.map((delta) => [delta.index, delta.function?.name])).toEqual([
      [0, 'send_email'],
      [1, 'get_weather'],
      [2, 'search_docs'],
    ]);
    expect(new Set(openings.map((delta) => delta.id)).size).toBe(3);
    // Each call's pieces follow its opening chunk: indexes never go back.
    const indexes = deltas.map((delta) => delta.index);
    expect(indexes).toEqual([...indexes].sort((left, right) => left - right));

    const streamed = functionCalls(final);
    expect(streamed.map((call) => call.id)).toEqual(openings.map((delta) => delta.id));
    expect(streamed.map((call) => call.function)).toEqual(functionCalls(plain).map((call) => call.function));
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.usage?.completion_tokens).toBe(plain.usage?.completion_tokens);
    expect(final.usage?.prompt_tokens).toBe(plain.usage?.prompt_tokens);

    const answer = await client.chat.completions
      .stream({ model: 'gpt-4o', messages: withResults(messages, final), tools })
      .finalChatCompletion();
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    expect(answer.choices[0]?.message.content).toMatch(/^According to the tool result/);
  });

  it('makes one call when parallel_tool_calls is false or tool_choice names a function', async () => {
    const client = openAIClient(simulator.current);
    const base = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: threeTools }], tools };
    const serial = await client.chat.completions.create({ ...base, parallel_tool_calls: false });
    expect(functionCalls(serial)).toHaveLength(1);
    expect(serial.choices[0]?.finish_reason).toBe('tool_calls');
    const streamedSerial = await client.chat.completions
      .stream({ ...base, parallel_tool_calls: false })
      .finalChatCompletion();
    expect(functionCalls(streamedSerial).map((call) => call.function)).toEqual(
      functionCalls(serial).map((call) => call.function),
    );
    const named = await client.chat.completions.create({
      ...base,
      tool_choice: { type: 'function', function: { name: 'search_docs' } },
    });
    expect(functionCalls(named).map((call) => call.function.name)).toEqual(['search_docs']);
    const allowed = await client.chat.completions.create({ ...base, parallel_tool_calls: true });
    expect(functionCalls(allowed)).toHaveLength(3);
    const error = await client.chat.completions
      .create({ ...base, parallel_tool_calls: 'yes' as unknown as boolean })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, param: 'parallel_tool_calls', code: 'invalid_type' });
  });

  it('requires a tool message for every call of the turn', async () => {
    const client = openAIClient(simulator.current);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: twoTools }];
    const first = await client.chat.completions.create({ model: 'gpt-4o', messages, tools });
    const partial = withResults(messages, first).slice(0, -1);
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', messages: partial, tools })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400 });
    expect((error as Error).message).toContain(functionCalls(first)[1]?.id);
  });

  it('bad-tool-args breaks only the first call, streamed or not', async () => {
    const client = openAIClient(simulator.current);
    const body = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: twoTools }], tools };
    const check = (completion: ChatCompletion) => {
      const [first, second] = functionCalls(completion);
      if (!first || !second) throw new Error('expected two calls');
      expect(schemaErrors(schemaOf(first.function.name), JSON.parse(first.function.arguments))).not.toEqual(
        [],
      );
      expect(schemaErrors(schemaOf(second.function.name), JSON.parse(second.function.arguments))).toEqual([]);
    };
    check(await client.chat.completions.create(body, faults('bad-tool-args')));
    check(await client.chat.completions.stream(body, faults('bad-tool-args')).finalChatCompletion());
  });

  it('bills exactly the usage it reports', async () => {
    const client: OpenAI = openAIClient(simulator.current, { apiKey: 'sk-parallel-meter' });
    const before = simulator.current.stats().byKey['sk-parallel-meter'];
    expect(before).toBeUndefined();
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: threeTools }],
      tools,
    });
    const stats = simulator.current.stats().byKey['sk-parallel-meter'];
    expect(stats).toMatchObject({
      requests: 1,
      inputTokens: completion.usage?.prompt_tokens,
      outputTokens: completion.usage?.completion_tokens,
    });
  });
});
