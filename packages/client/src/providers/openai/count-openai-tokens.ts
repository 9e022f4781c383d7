import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions/completions';
import { countO200kTokens } from '../../tokens/count-o200k-tokens.ts';

// OpenAI's chat framing (the cookbook rule for GPT-4o-era models, extended to tools, schemas and
// images exactly as the simulator documents it in docs/simulator.md).
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMER = 3;
const TOKENS_PER_TOOL_CALL = 3;
const TOOLS_OVERHEAD = 12;
const TOKENS_PER_TOOL = 8;
const RESPONSE_FORMAT = 8;
const IMAGE_LOW_DETAIL = 85;
const IMAGE = 765;

function contentTokens(content: unknown): number {
  if (typeof content === 'string') return countO200kTokens(content);
  if (!Array.isArray(content)) return 0;
  let total = 0;
  for (const part of content as Array<Record<string, unknown>>) {
    if (part['type'] === 'text') total += countO200kTokens(String(part['text'] ?? ''));
    else if (part['type'] === 'refusal') total += countO200kTokens(String(part['refusal'] ?? ''));
    else if (part['type'] === 'image_url') {
      const detail = (part['image_url'] as Record<string, unknown> | undefined)?.['detail'];
      total += detail === 'low' ? IMAGE_LOW_DETAIL : IMAGE;
    } else total += countO200kTokens(JSON.stringify(part));
  }
  return total;
}

/**
 * Input tokens of a Chat Completions body, counted the way OpenAI frames a chat: o200k tokens of
 * every text, 3 per message plus its role, 3 per tool call, tool definitions and the JSON schema
 * of `response_format`, 765 per image (85 at `detail: 'low'`), 3 for the reply primer. Text
 * prompts match OpenAI's `prompt_tokens`; images are a fixed estimate (their real cost depends
 * on pixel size).
 *
 * @example
 * countOpenAITokens({ model: 'gpt-5.6-luna', messages: [{ role: 'user', content: 'Hello' }] }) // 8
 */
export function countOpenAITokens(body: ChatCompletionCreateParamsBase): number {
  let total = 0;
  const tools = body.tools ?? [];
  if (tools.length > 0) {
    total += TOOLS_OVERHEAD;
    for (const tool of tools) {
      const definition = ((tool as { function?: unknown }).function ?? tool) as Record<string, unknown>;
      total += TOKENS_PER_TOOL + countO200kTokens(String(definition['name'] ?? ''));
      total += countO200kTokens(String(definition['description'] ?? ''));
      total += countO200kTokens(JSON.stringify(definition['parameters'] ?? {}));
    }
  }
  const format = body.response_format;
  if (format?.type === 'json_schema') {
    total += RESPONSE_FORMAT + countO200kTokens(JSON.stringify(format.json_schema.schema ?? {}));
  }
  for (const message of body.messages as unknown as Array<Record<string, unknown>>) {
    total += TOKENS_PER_MESSAGE + countO200kTokens(String(message['role'] ?? ''));
    total += contentTokens(message['content']);
    if (typeof message['name'] === 'string') total += TOKENS_PER_NAME + countO200kTokens(message['name']);
    for (const call of (message['tool_calls'] as Array<Record<string, unknown>> | undefined) ?? []) {
      const fn = (call['function'] ?? {}) as Record<string, unknown>;
      total += TOKENS_PER_TOOL_CALL + countO200kTokens(String(fn['name'] ?? ''));
      total += countO200kTokens(String(fn['arguments'] ?? ''));
    }
  }
  return total + REPLY_PRIMER;
}
