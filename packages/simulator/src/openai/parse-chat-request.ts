import { type FailingTool, failingTools, type ToolResultOutcome } from '../failing-tools.ts';
import { conversationSeed } from '../hash-string.ts';
import type { ModelSpec, ModelTable } from '../model-table.ts';
import type { ReplyTool, ReplyToolChoice } from '../plan-reply.ts';
import type { ErrorResponse } from '../simulator-context.ts';
import {
  invalidParameter as invalid,
  invalidType,
  openAIError,
  openAIErrors,
  typeName,
} from './openai-error.ts';
import { toolMessageIsError } from './tool-message-error.ts';
import { validateChatMessages } from './validate-chat-messages.ts';

/** A validated `POST /v1/chat/completions` body, reduced to what the simulator needs. */
export interface ChatRequest {
  body: Record<string, unknown>;
  model: ModelSpec;
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | undefined;
  stop: string[];
  tools: ReplyTool[];
  toolChoice: ReplyToolChoice;
  /** `parallel_tool_calls`; true unless the request sets it to false. */
  parallelToolCalls: boolean;
  outputSchema?: unknown;
  jsonObject: boolean;
  userText: string;
  toolResultText?: string;
  /** The tools whose results in the latest turn are errors (see `toolMessageIsError`). */
  failingTools?: FailingTool[];
  seed: number;
  fingerprint: string;
}

/**
 * Validates a Chat Completions body as the real API does, answering the same 4xx error shapes
 * (`missing_required_parameter`, `invalid_type`, `model_not_found`, tool-message ordering, …).
 */
export function parseChatRequest(text: string, models: ModelTable): ChatRequest | ErrorResponse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return openAIErrors.invalidJson();
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid(
      `Invalid type for request body: expected an object, but got ${typeName(body)} instead.`,
      null,
      'invalid_type',
    );
  }
  const request = body as Record<string, unknown>;
  if (request['model'] === undefined)
    return openAIError(400, 'you must provide a model parameter', 'invalid_request_error');
  if (typeof request['model'] !== 'string') return invalidType('model', 'a string', request['model']);
  const messages = request['messages'];
  if (messages === undefined)
    return invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (!Array.isArray(messages)) return invalidType('messages', 'an array', messages);
  if (messages.length === 0) {
    return invalid(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  const messageError = validateChatMessages(messages);
  if (messageError) return messageError;
  const model = models.find('openai', request['model']);
  if (!model) return openAIErrors.modelNotFound(request['model']);
  const maxField =
    request['max_completion_tokens'] !== undefined && request['max_completion_tokens'] !== null
      ? 'max_completion_tokens'
      : 'max_tokens';
  const maxTokens = request[maxField];
  if (maxTokens !== undefined && maxTokens !== null) {
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens))
      return invalidType(maxField, 'an integer', maxTokens);
    if (maxTokens < 1) {
      return invalid(
        `Invalid '${maxField}': integer below minimum value. Expected a value >= 1, but got ${maxTokens} instead.`,
        maxField,
        'integer_below_min_value',
      );
    }
    if (maxTokens > model.maxOutputTokens) {
      return invalid(
        `max_tokens is too large: ${maxTokens}. This model supports at most ${model.maxOutputTokens} completion tokens, whereas you provided ${maxTokens}.`,
        maxField,
        'invalid_value',
      );
    }
  }
  const stop = request['stop'];
  if (
    stop !== undefined &&
    stop !== null &&
    typeof stop !== 'string' &&
    !(Array.isArray(stop) && stop.every((entry) => typeof entry === 'string'))
  ) {
    return invalidType('stop', 'a string or an array of strings', stop);
  }
  const tools = parseTools(request['tools']);
  if ('status' in tools) return tools;
  const toolChoice = parseToolChoice(request['tool_choice'], tools);
  if ('status' in toolChoice) return toolChoice;
  const parallel = request['parallel_tool_calls'];
  if (parallel !== undefined && parallel !== null && typeof parallel !== 'boolean')
    return invalidType('parallel_tool_calls', 'a boolean', parallel);
  const format = parseResponseFormat(request['response_format'], messages);
  if (format && 'status' in format) return format;
  const options = request['stream_options'] as Record<string, unknown> | undefined | null;
  const toolResultText = trailingToolText(messages);
  const failing = toolResultText === undefined ? [] : failingTools(toolRounds(messages));
  return {
    body: request,
    model,
    stream: request['stream'] === true,
    includeUsage: request['stream'] === true && options?.['include_usage'] === true,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    stop: typeof stop === 'string' ? [stop] : Array.isArray(stop) ? (stop as string[]) : [],
    tools,
    toolChoice,
    parallelToolCalls: parallel !== false,
    outputSchema: format?.schema,
    jsonObject: format?.jsonObject ?? false,
    userText: lastUserText(messages),
    toolResultText,
    failingTools: failing.length > 0 ? failing : undefined,
    ...conversationSeed(
      `${request['model']}\n${JSON.stringify(messages)}\n${JSON.stringify(request['tools'] ?? null)}\n${JSON.stringify(request['response_format'] ?? null)}`,
    ),
  };
}

function parseTools(raw: unknown): ReplyTool[] | ErrorResponse {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return invalidType('tools', 'an array', raw);
  const tools: ReplyTool[] = [];
  for (let index = 0; index < raw.length; index++) {
    const tool = raw[index] as Record<string, unknown>;
    if (tool?.['type'] !== 'function') continue;
    const fn = tool['function'] as Record<string, unknown> | undefined;
    if (typeof fn?.['name'] !== 'string') {
      return invalid(
        `Missing required parameter: 'tools[${index}].function.name'.`,
        `tools[${index}].function.name`,
        'missing_required_parameter',
      );
    }
    tools.push({
      name: fn['name'],
      description: String(fn['description'] ?? ''),
      schema: fn['parameters'] ?? { type: 'object', properties: {} },
    });
  }
  return tools;
}

function parseToolChoice(raw: unknown, tools: ReplyTool[]): ReplyToolChoice | ErrorResponse {
  if (raw === undefined || raw === null || raw === 'auto') return { type: 'auto' };
  if (raw === 'none' || raw === 'required') return { type: raw };
  const name = ((raw as Record<string, unknown>)?.['function'] as Record<string, unknown> | undefined)?.[
    'name'
  ];
  if (typeof name === 'string') {
    if (!tools.some((tool) => tool.name === name)) {
      return invalid(
        `Invalid value for 'tool_choice': tool '${name}' not found in 'tools'.`,
        'tool_choice',
        'invalid_value',
      );
    }
    return { type: 'tool', name };
  }
  return invalid(
    `Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named function.`,
    'tool_choice',
    'invalid_value',
  );
}

function parseResponseFormat(
  raw: unknown,
  messages: unknown[],
): { schema?: unknown; jsonObject?: boolean } | ErrorResponse | undefined {
  if (raw === undefined || raw === null) return undefined;
  const format = raw as Record<string, unknown>;
  if (format['type'] === 'json_object') {
    if (!JSON.stringify(messages).toLowerCase().includes('json')) {
      return invalid(
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        'messages',
        null,
      );
    }
    return { jsonObject: true };
  }
  if (format['type'] === 'json_schema') {
    const jsonSchema = format['json_schema'] as Record<string, unknown> | undefined;
    if (typeof jsonSchema?.['name'] !== 'string') {
      return invalid(
        "Missing required parameter: 'response_format.json_schema.name'.",
        'response_format.json_schema.name',
        'missing_required_parameter',
      );
    }
    return { schema: jsonSchema['schema'] ?? {} };
  }
  if (format['type'] === 'text') return undefined;
  return invalid(
    `Invalid value: '${String(format['type'])}'. Supported values are: 'json_object', 'json_schema', and 'text'.`,
    'response_format.type',
    'invalid_value',
  );
}

function lastUserText(messages: unknown[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as Record<string, unknown>;
    if (message['role'] === 'user') return contentText(message['content']);
  }
  return contentText((messages.at(-1) as Record<string, unknown>)['content']);
}

function trailingToolText(messages: unknown[]): string | undefined {
  const parts: string[] = [];
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as Record<string, unknown>;
    if (message['role'] !== 'tool') break;
    parts.unshift(contentText(message['content']));
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/**
 * The trailing tool rounds, oldest first: each is an assistant message with `tool_calls`
 * followed by `tool` messages; the walk stops at the first message that breaks the pattern.
 */
function toolRounds(messages: unknown[]): ToolResultOutcome[][] {
  const rounds: ToolResultOutcome[][] = [];
  let index = messages.length - 1;
  while (index >= 0) {
    const results: Array<Record<string, unknown>> = [];
    for (; index >= 0; index--) {
      const message = messages[index] as Record<string, unknown>;
      if (message['role'] !== 'tool') break;
      results.unshift(message);
    }
    const assistant = messages[index] as Record<string, unknown> | undefined;
    if (
      results.length === 0 ||
      assistant?.['role'] !== 'assistant' ||
      !Array.isArray(assistant['tool_calls'])
    )
      break;
    const names = new Map<string, string>();
    for (const call of assistant['tool_calls'] as Array<Record<string, unknown>>) {
      const name = (call?.['function'] as Record<string, unknown> | undefined)?.['name'];
      if (typeof name === 'string') names.set(String(call['id']), name);
    }
    rounds.unshift(
      results.map((result) => ({
        name: names.get(String(result['tool_call_id'])) ?? '',
        error: toolMessageIsError(contentText(result['content'])),
      })),
    );
    index--;
  }
  return rounds;
}

/** Text of a string or an array of content parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (part as Record<string, unknown>)?.['text'])
    .filter((text): text is string => typeof text === 'string')
    .join('\n');
}
