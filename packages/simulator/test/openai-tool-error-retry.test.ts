import type OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { faults, openAIClient, schemaErrors, useSimulator } from './helpers.ts';

const simulator = useSimulator();

const tool = (name: string, description: string, parameters: Record<string, unknown>) => ({
  type: 'function' as const,
  function: { name, description, parameters },
});
const weather = tool('get_weather', 'Get the current weather for a city', {
  type: 'object',
  properties: {
    city: { type: 'string', minLength: 1 },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
  },
  required: ['city', 'unit'],
  additionalProperties: false,
});
const docs = tool('search_docs', 'Search the documentation', {
  type: 'object',
  properties: { query: { type: 'string' } },
  required: ['query'],
  additionalProperties: false,
});
const tools = [weather, docs];
const schemaOf = (name: string) =>
  tools.find((entry) => entry.function.name === name)?.function.parameters ?? {};
const prompt = 'What is the weather in Oslo today?';
const validationError =
  'Error: Invalid arguments for tool "get_weather":\n- city: Required\nCall the tool again with corrected arguments.';

function functionCalls(completion: ChatCompletion): ChatCompletionMessageFunctionToolCall[] {
  return (completion.choices[0]?.message.tool_calls ?? []).filter(
    (call): call is ChatCompletionMessageFunctionToolCall => call.type === 'function',
  );
}

/** The assistant turn, then one tool message per call with the content `result` gives it. */
function withResults(
  messages: ChatCompletionMessageParam[],
  completion: ChatCompletion,
  result: (call: ChatCompletionMessageFunctionToolCall) => string,
): ChatCompletionMessageParam[] {
  const assistant = completion.choices[0]?.message;
  if (!assistant) throw new Error('expected an assistant message');
  return [
    ...messages,
    assistant,
    ...functionCalls(completion).map((call) => ({
      role: 'tool' as const,
      tool_call_id: call.id,
      content: result(call),
    })),
  ];
}

function argumentErrors(call: ChatCompletionMessageFunctionToolCall): unknown[] {
  return schemaErrors(schemaOf(call.function.name), JSON.parse(call.function.arguments));
}

describe.each([false, true])('OpenAI tool calls after an error result (stream: %s)', (stream) => {
  async function ask(
    client: OpenAI,
    body: Omit<ChatCompletionCreateParamsNonStreaming, 'model' | 'stream'>,
    headers?: { headers: Record<string, string> },
  ): Promise<ChatCompletion> {
    const params = { model: 'gpt-4o', tools, ...body };
    return stream
      ? client.chat.completions.stream(params, headers).finalChatCompletion()
      : client.chat.completions.create(params, headers);
  }

  it('calls the tool again with corrected arguments, then answers once the result succeeds', async () => {
    const client = openAIClient(simulator.current);
    const headers = faults('bad-tool-args,ok');
    let messages: ChatCompletionMessageParam[] = [{ role: 'user', content: prompt }];
    const first = await ask(client, { messages }, headers);
    const [bad] = functionCalls(first);
    expect(bad?.function.name).toBe('get_weather');
    expect(argumentErrors(bad as ChatCompletionMessageFunctionToolCall)).not.toEqual([]);

    messages = withResults(messages, first, () => validationError);
    const second = await ask(client, { messages }, headers);
    expect(second.choices[0]?.finish_reason).toBe('tool_calls');
    const [fixed] = functionCalls(second);
    expect(fixed?.function.name).toBe('get_weather');
    expect(fixed?.id).not.toBe(bad?.id);
    expect(argumentErrors(fixed as ChatCompletionMessageFunctionToolCall)).toEqual([]);

    messages = withResults(messages, second, () => JSON.stringify({ city: 'Oslo', temperature: 21 }));
    const third = await ask(client, { messages }, headers);
    expect(third.choices[0]?.finish_reason).toBe('stop');
    expect(third.choices[0]?.message.tool_calls ?? []).toEqual([]);
    expect(third.choices[0]?.message.content).toMatch(/^According to the tool result/);
  });

  it('reads JSON with a top-level "error" key and error text in content parts as errors', async () => {
    const client = openAIClient(simulator.current);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: prompt }];
    const first = await ask(client, { messages });
    for (const content of [
      '{"error": "city not found"}',
      'invalid input: unit must be celsius or fahrenheit',
      'ERROR: upstream timed out',
    ]) {
      const retry = await ask(client, { messages: withResults(messages, first, () => content) });
      const calls = functionCalls(retry);
      expect(
        calls.map((call) => call.function.name),
        content,
      ).toEqual(['get_weather']);
      expect(argumentErrors(calls[0] as ChatCompletionMessageFunctionToolCall)).toEqual([]);
    }
    const parts = withResults(messages, first, () => '').map((message) =>
      message.role === 'tool'
        ? { ...message, content: [{ type: 'text' as const, text: 'Error: the service is down' }] }
        : message,
    );
    expect(functionCalls(await ask(client, { messages: parts })).map((call) => call.function.name)).toEqual([
      'get_weather',
    ]);
  });

  it('gives up in prose after three consecutive error rounds for the same tool', async () => {
    const client = openAIClient(simulator.current);
    const headers = faults('bad-tool-args');
    let messages: ChatCompletionMessageParam[] = [{ role: 'user', content: prompt }];
    const ids: string[] = [];
    for (let round = 1; round <= 3; round++) {
      const completion = await ask(client, { messages }, headers);
      const calls = functionCalls(completion);
      expect(calls.map((call) => call.function.name)).toEqual(['get_weather']);
      expect(argumentErrors(calls[0] as ChatCompletionMessageFunctionToolCall)).not.toEqual([]);
      ids.push(calls[0]?.id ?? '');
      messages = withResults(messages, completion, () => validationError);
    }
    expect(new Set(ids).size).toBe(3);
    const last = await ask(client, { messages }, headers);
    expect(last.choices[0]?.finish_reason).toBe('stop');
    expect(last.choices[0]?.message.tool_calls ?? []).toEqual([]);
    expect(last.choices[0]?.message.content).toMatch(
      /^The get_weather tool keeps failing: it returned an error 3 times in a row/,
    );
  });

  it('answers in prose after non-error results, with tool_choice none, or when the tool is gone', async () => {
    const client = openAIClient(simulator.current);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: prompt }];
    const first = await ask(client, { messages });
    for (const content of ['Sunny, 21 degrees', 'No errors found', 'Errors: none', '{"temperature": 21}']) {
      const answer = await ask(client, { messages: withResults(messages, first, () => content) });
      expect(answer.choices[0]?.finish_reason, content).toBe('stop');
      expect(answer.choices[0]?.message.content).toMatch(/^According to the tool result/);
    }
    const failed = withResults(messages, first, () => validationError);
    for (const body of [
      { messages: failed, tool_choice: 'none' as const },
      { messages: failed, tools: [docs] },
    ]) {
      const answer = await ask(client, body);
      expect(answer.choices[0]?.finish_reason).toBe('stop');
      expect(answer.choices[0]?.message.content).toMatch(/^According to the tool result/);
    }
  });

  it('calls again only the tools whose results were errors, each once, as parallel calls allow', async () => {
    const client = openAIClient(simulator.current);
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Call get_weather for Oslo and search_docs for umbrellas, please.' },
    ];
    const first = await ask(client, { messages });
    expect(functionCalls(first).map((call) => call.function.name)).toEqual(['get_weather', 'search_docs']);

    const oneFailed = withResults(messages, first, (call) =>
      call.function.name === 'search_docs' ? 'Error: index unavailable' : 'Sunny',
    );
    const retryOne = functionCalls(await ask(client, { messages: oneFailed }));
    expect(retryOne.map((call) => call.function.name)).toEqual(['search_docs']);
    expect(argumentErrors(retryOne[0] as ChatCompletionMessageFunctionToolCall)).toEqual([]);

    const bothFailed = withResults(messages, first, () => 'Error: try again');
    const retryBoth = functionCalls(await ask(client, { messages: bothFailed }));
    expect(retryBoth.map((call) => call.function.name)).toEqual(['get_weather', 'search_docs']);
    expect(new Set(retryBoth.map((call) => call.id)).size).toBe(2);
    for (const call of retryBoth) expect(argumentErrors(call)).toEqual([]);

    const serial = functionCalls(await ask(client, { messages: bothFailed, parallel_tool_calls: false }));
    expect(serial.map((call) => call.function.name)).toEqual(['get_weather']);
  });
});
