import type Anthropic from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
  ToolUseBlock,
} from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { anthropicClient, faults, schemaErrors, useSimulator } from './helpers.ts';

const simulator = useSimulator();

const weather = {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: {
      city: { type: 'string', minLength: 1 },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['city', 'unit'],
    additionalProperties: false,
  },
};
const docs = {
  name: 'search_docs',
  description: 'Search the documentation',
  input_schema: {
    type: 'object' as const,
    properties: { query: { type: 'string' } },
    required: ['query'],
    additionalProperties: false,
  },
};
const tools = [weather, docs];
const schemaOf = (name: string) => tools.find((entry) => entry.name === name)?.input_schema ?? {};
const model = 'claude-sonnet-4-6';
const prompt = 'What is the weather in Oslo today?';
const validationError =
  'Invalid arguments for tool "get_weather":\n- city: Required\nCall the tool again with corrected arguments.';

const toolUses = (message: Message) =>
  message.content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
const inputErrors = (use: ToolUseBlock | undefined) => schemaErrors(schemaOf(use?.name ?? ''), use?.input);

/** The assistant turn, then a user turn with one `tool_result` per `tool_use`. */
function withResults(
  messages: MessageParam[],
  message: Message,
  result: (use: ToolUseBlock) => { content: string; is_error?: boolean },
): MessageParam[] {
  return [
    ...messages,
    { role: 'assistant', content: message.content as MessageParam['content'] },
    {
      role: 'user',
      content: toolUses(message).map((use) => ({
        type: 'tool_result' as const,
        tool_use_id: use.id,
        ...result(use),
      })),
    },
  ];
}

const failure = () => ({ content: validationError, is_error: true });
const textOf = (message: Message) => (message.content[0]?.type === 'text' ? message.content[0].text : '');

describe.each([false, true])('Anthropic tool use after an error result (stream: %s)', (stream) => {
  async function ask(
    client: Anthropic,
    body: Omit<MessageCreateParamsNonStreaming, 'model' | 'max_tokens'>,
    headers?: { headers: Record<string, string> },
  ): Promise<Message> {
    const params = { model, max_tokens: 500, tools, ...body };
    return stream
      ? client.messages.stream(params, headers).finalMessage()
      : client.messages.create(params, headers);
  }

  it('calls the tool again with corrected input, then answers once the result succeeds', async () => {
    const client = anthropicClient(simulator.current);
    const headers = faults('bad-tool-args,ok');
    let messages: MessageParam[] = [{ role: 'user', content: prompt }];
    const first = await ask(client, { messages }, headers);
    const [bad] = toolUses(first);
    expect(bad?.name).toBe('get_weather');
    expect(inputErrors(bad)).not.toEqual([]);

    messages = withResults(messages, first, failure);
    const second = await ask(client, { messages }, headers);
    expect(second.stop_reason).toBe('tool_use');
    const [fixed] = toolUses(second);
    expect(fixed?.name).toBe('get_weather');
    expect(fixed?.id).not.toBe(bad?.id);
    expect(inputErrors(fixed)).toEqual([]);

    messages = withResults(messages, second, () => ({
      content: JSON.stringify({ city: 'Oslo', temperature: 21 }),
    }));
    const third = await ask(client, { messages }, headers);
    expect(third.stop_reason).toBe('end_turn');
    expect(toolUses(third)).toEqual([]);
    expect(textOf(third)).toMatch(/^According to the tool result/);
  });

  it('gives up in prose after three consecutive error rounds for the same tool', async () => {
    const client = anthropicClient(simulator.current);
    const headers = faults('bad-tool-args');
    let messages: MessageParam[] = [{ role: 'user', content: prompt }];
    const ids: string[] = [];
    for (let round = 1; round <= 3; round++) {
      const message = await ask(client, { messages }, headers);
      const uses = toolUses(message);
      expect(uses.map((use) => use.name)).toEqual(['get_weather']);
      expect(inputErrors(uses[0])).not.toEqual([]);
      ids.push(uses[0]?.id ?? '');
      messages = withResults(messages, message, failure);
    }
    expect(new Set(ids).size).toBe(3);
    const last = await ask(client, { messages }, headers);
    expect(last.stop_reason).toBe('end_turn');
    expect(toolUses(last)).toEqual([]);
    expect(textOf(last)).toMatch(
      /^The get_weather tool keeps failing: it returned an error 3 times in a row/,
    );
  });

  it('answers in prose after results without is_error, with tool_choice none, or when the tool is gone', async () => {
    const client = anthropicClient(simulator.current);
    const messages: MessageParam[] = [{ role: 'user', content: prompt }];
    const first = await ask(client, { messages });
    for (const result of [
      { content: 'Sunny, 21 degrees' },
      { content: 'Error: only is_error marks an Anthropic error' },
      { content: 'Sunny', is_error: false },
    ]) {
      const answer = await ask(client, { messages: withResults(messages, first, () => result) });
      expect(answer.stop_reason, result.content).toBe('end_turn');
      expect(textOf(answer)).toMatch(/^According to the tool result/);
    }
    const failed = withResults(messages, first, failure);
    for (const body of [
      { messages: failed, tool_choice: { type: 'none' as const } },
      { messages: failed, tools: [docs] },
    ]) {
      const answer = await ask(client, body);
      expect(answer.stop_reason).toBe('end_turn');
      expect(textOf(answer)).toMatch(/^According to the tool result/);
    }
  });

  it('calls again only the tools whose results were errors, each once, as parallel tool use allows', async () => {
    const client = anthropicClient(simulator.current);
    const messages: MessageParam[] = [
      { role: 'user', content: 'Call get_weather for Oslo and search_docs for umbrellas, please.' },
    ];
    const first = await ask(client, { messages });
    expect(toolUses(first).map((use) => use.name)).toEqual(['get_weather', 'search_docs']);

    const oneFailed = withResults(messages, first, (use) =>
      use.name === 'get_weather' ? failure() : { content: 'Found 3 pages' },
    );
    const retryOne = toolUses(await ask(client, { messages: oneFailed }));
    expect(retryOne.map((use) => use.name)).toEqual(['get_weather']);
    expect(inputErrors(retryOne[0])).toEqual([]);

    const bothFailed = withResults(messages, first, failure);
    const retryBoth = toolUses(await ask(client, { messages: bothFailed }));
    expect(retryBoth.map((use) => use.name)).toEqual(['get_weather', 'search_docs']);
    for (const use of retryBoth) expect(inputErrors(use)).toEqual([]);

    const serial = toolUses(
      await ask(client, {
        messages: bothFailed,
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      }),
    );
    expect(serial.map((use) => use.name)).toEqual(['get_weather']);
  });
});
