import { countO200kTokens, encodeO200k } from './o200k-tokens.ts';

/** Fixed costs of OpenAI's chat framing (the cookbook's rule for GPT-4o-era models). */
export const OPENAI_TOKENS_PER_MESSAGE = 3;
export const OPENAI_TOKENS_PER_NAME = 1;
export const OPENAI_REPLY_PRIMER_TOKENS = 3;
export const OPENAI_TOKENS_PER_TOOL_CALL = 3;
export const OPENAI_TOOLS_OVERHEAD_TOKENS = 12;
export const OPENAI_TOKENS_PER_TOOL = 8;
export const OPENAI_RESPONSE_FORMAT_TOKENS = 8;
export const OPENAI_IMAGE_LOW_DETAIL_TOKENS = 85;
export const OPENAI_IMAGE_TOKENS = 765;

/** Receives the framed prompt in order: text to tokenize, or a number of fixed framing tokens. */
interface TokenSink {
  text(text: string): void;
  fixed(count: number, marker: number): void;
}

/**
 * `usage.prompt_tokens` as the simulator reports it for `POST /v1/chat/completions`: o200k tokens
 * of every text plus OpenAI's framing. The rule (also in docs/simulator.md), in prompt order:
 * - tools, if any: 12, plus per tool 8 + tokens(name) + tokens(description) + tokens(JSON of parameters);
 * - `response_format` `json_schema`: 8 + tokens(JSON of schema);
 * - per message: 3 + tokens(role) + content, and 1 + tokens(name) when `name` is set; content is
 *   a string, or parts: text and refusal parts by their text, images 85 (`detail: 'low'`) or 765,
 *   any other part by its JSON; per assistant tool call 3 + tokens(name) + tokens(arguments);
 * - 3 for the reply primer.
 *
 * @example
 * countOpenAIChatTokens({ messages: [{ role: 'user', content: 'Hello' }] }); // 3 + 1 + 1 + 3 = 8
 */
export function countOpenAIChatTokens(body: unknown): number {
  let total = 0;
  walkOpenAIChatPrompt(body, {
    text: (text) => {
      total += countO200kTokens(text);
    },
    fixed: (count) => {
      total += count;
    },
  });
  return total;
}

/**
 * The framed prompt as token ids: o200k ids for text, reserved ids above the vocabulary for
 * framing. Its length equals `countOpenAIChatTokens(body)`; prompt caching hashes its prefixes.
 */
export function encodeOpenAIChatPrompt(body: unknown): number[] {
  const tokens: number[] = [];
  walkOpenAIChatPrompt(body, {
    text: (text) => {
      if (text.length > 0) for (const token of encodeO200k(text)) tokens.push(token);
    },
    fixed: (count, marker) => {
      for (let index = 0; index < count; index++) tokens.push(1_000_000 + marker * 1000 + index);
    },
  });
  return tokens;
}

function walkOpenAIChatPrompt(body: unknown, sink: TokenSink): void {
  const request = (body ?? {}) as Record<string, unknown>;
  const tools = Array.isArray(request['tools']) ? request['tools'] : [];
  if (tools.length > 0) {
    sink.fixed(OPENAI_TOOLS_OVERHEAD_TOKENS, 1);
    for (const tool of tools) walkTool(tool, sink);
  }
  const format = request['response_format'] as Record<string, unknown> | undefined;
  if (format?.['type'] === 'json_schema') {
    const jsonSchema = (format['json_schema'] ?? {}) as Record<string, unknown>;
    sink.fixed(OPENAI_RESPONSE_FORMAT_TOKENS, 2);
    sink.text(JSON.stringify(jsonSchema['schema'] ?? {}));
  }
  const messages = Array.isArray(request['messages']) ? request['messages'] : [];
  for (const message of messages) walkMessage(message as Record<string, unknown>, sink);
  sink.fixed(OPENAI_REPLY_PRIMER_TOKENS, 3);
}

function walkTool(tool: unknown, sink: TokenSink): void {
  const definition = ((tool as Record<string, unknown>)?.['function'] ?? tool ?? {}) as Record<
    string,
    unknown
  >;
  sink.fixed(OPENAI_TOKENS_PER_TOOL, 4);
  sink.text(String(definition['name'] ?? ''));
  sink.text(String(definition['description'] ?? ''));
  sink.text(JSON.stringify(definition['parameters'] ?? {}));
}

function walkMessage(message: Record<string, unknown>, sink: TokenSink): void {
  sink.fixed(OPENAI_TOKENS_PER_MESSAGE, 5);
  sink.text(String(message['role'] ?? ''));
  walkContent(message['content'], sink);
  if (typeof message['name'] === 'string') {
    sink.fixed(OPENAI_TOKENS_PER_NAME, 6);
    sink.text(message['name']);
  }
  const calls = Array.isArray(message['tool_calls']) ? message['tool_calls'] : [];
  const legacyCall = message['function_call'];
  for (const call of legacyCall ? [...calls, { function: legacyCall }] : calls) {
    const fn = ((call as Record<string, unknown>)?.['function'] ?? {}) as Record<string, unknown>;
    sink.fixed(OPENAI_TOKENS_PER_TOOL_CALL, 7);
    sink.text(String(fn['name'] ?? ''));
    sink.text(String(fn['arguments'] ?? ''));
  }
}

function walkContent(content: unknown, sink: TokenSink): void {
  if (typeof content === 'string') {
    sink.text(content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const part of content as Array<Record<string, unknown>>) {
    if (part?.['type'] === 'text') sink.text(String(part['text'] ?? ''));
    else if (part?.['type'] === 'refusal') sink.text(String(part['refusal'] ?? ''));
    else if (part?.['type'] === 'image_url') {
      const detail = (part['image_url'] as Record<string, unknown> | undefined)?.['detail'];
      sink.fixed(detail === 'low' ? OPENAI_IMAGE_LOW_DETAIL_TOKENS : OPENAI_IMAGE_TOKENS, 8);
    } else sink.text(JSON.stringify(part));
  }
}
