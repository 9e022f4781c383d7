import { conversationSeed } from '../hash-string.ts';
import type { ModelSpec, ModelTable } from '../model-table.ts';
import type { ReplyTool, ReplyToolChoice } from '../plan-reply.ts';
import type { ErrorResponse } from '../simulator-context.ts';
import { openAIError, openAIErrors } from './openai-error.ts';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

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
  outputSchema?: unknown;
  jsonObject: boolean;
  userText: string;
  toolResultText?: string;
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
  const messageError = validateMessages(messages);
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
  const format = parseResponseFormat(request['response_format'], messages);
  if (format && 'status' in format) return format;
  const options = request['stream_options'] as Record<string, unknown> | undefined | null;
  return {
    body: request,
    model,
    stream: request['stream'] === true,
    includeUsage: request['stream'] === true && options?.['include_usage'] === true,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    stop: typeof stop === 'string' ? [stop] : Array.isArray(stop) ? (stop as string[]) : [],
    tools,
    toolChoice,
    outputSchema: format?.schema,
    jsonObject: format?.jsonObject ?? false,
    userText: lastUserText(messages),
    toolResultText: trailingToolText(messages),
    ...conversationSeed(
      `${request['model']}\n${JSON.stringify(messages)}\n${JSON.stringify(request['tools'] ?? null)}\n${JSON.stringify(request['response_format'] ?? null)}`,
    ),
  };
}

function validateMessages(messages: unknown[]): ErrorResponse | undefined {
  let pendingCalls: Set<string> | undefined;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as Record<string, unknown>;
    const at = `messages[${index}]`;
    if (typeof message !== 'object' || message === null || Array.isArray(message))
      return invalidType(at, 'an object', message);
    const role = message['role'];
    if (role === undefined)
      return invalid(`Missing required parameter: '${at}.role'.`, `${at}.role`, 'missing_required_parameter');
    if (typeof role !== 'string' || !ROLES.has(role)) {
      return invalid(
        `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `${at}.role`,
        'invalid_value',
      );
    }
    const content = message['content'];
    const hasCalls =
      role === 'assistant' && Array.isArray(message['tool_calls']) && message['tool_calls'].length > 0;
    if (content === undefined && !hasCalls && role !== 'assistant') {
      return invalid(
        `Missing required parameter: '${at}.content'.`,
        `${at}.content`,
        'missing_required_parameter',
      );
    }
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      return invalidType(`${at}.content`, 'one of a string or array of objects', content);
    }
    if (Array.isArray(content)) {
      const partError = validateParts(content, `${at}.content`);
      if (partError) return partError;
    }
    if (role === 'tool') {
      const id = message['tool_call_id'];
      if (typeof id !== 'string')
        return invalid(
          `Missing required parameter: '${at}.tool_call_id'.`,
          `${at}.tool_call_id`,
          'missing_required_parameter',
        );
      if (!pendingCalls?.has(id)) {
        return invalid(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `${at}.role`,
          null,
        );
      }
      pendingCalls.delete(id);
      continue;
    }
    if (pendingCalls && pendingCalls.size > 0) return unansweredCalls(pendingCalls, index);
    pendingCalls = undefined;
    if (hasCalls) {
      pendingCalls = new Set();
      for (const call of message['tool_calls'] as Array<Record<string, unknown>>) {
        if (typeof call?.['id'] === 'string') pendingCalls.add(call['id']);
      }
    }
  }
  if (pendingCalls && pendingCalls.size > 0) return unansweredCalls(pendingCalls, messages.length);
  return undefined;
}

const PART_TYPES = new Set(['text', 'image_url', 'input_audio', 'file', 'refusal']);

function validateParts(parts: unknown[], at: string): ErrorResponse | undefined {
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] as Record<string, unknown>;
    if (typeof part !== 'object' || part === null || Array.isArray(part))
      return invalidType(`${at}[${index}]`, 'an object', part);
    if (!PART_TYPES.has(String(part['type']))) {
      return invalid(
        `Invalid value: '${String(part['type'])}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', and 'file'.`,
        `${at}[${index}].type`,
        'invalid_value',
      );
    }
    if (part['type'] === 'text' && typeof part['text'] !== 'string')
      return invalidType(`${at}[${index}].text`, 'a string', part['text']);
  }
  return undefined;
}

function unansweredCalls(pending: Set<string>, index: number): ErrorResponse {
  return invalid(
    `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`,
    `messages.[${index}].role`,
    null,
  );
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

/** Text of a string or an array of content parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (part as Record<string, unknown>)?.['text'])
    .filter((text): text is string => typeof text === 'string')
    .join('\n');
}

function invalid(message: string, param: string | null, code: string | null): ErrorResponse {
  return openAIError(400, message, 'invalid_request_error', param, code);
}

function invalidType(param: string, expected: string, value: unknown): ErrorResponse {
  return invalid(
    `Invalid type for '${param}': expected ${expected}, but got ${typeName(value)} instead.`,
    param,
    'invalid_type',
  );
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}
