import { type FailingTool, failingTools, type ToolResultOutcome } from '../failing-tools.ts';
import { conversationSeed } from '../hash-string.ts';
import type { ModelSpec, ModelTable } from '../model-table.ts';
import type { ReplyTool, ReplyToolChoice } from '../plan-reply.ts';
import type { ErrorResponse } from '../simulator-context.ts';
import { anthropicErrors, invalidRequest } from './anthropic-error.ts';

const ROLES = new Set(['user', 'assistant', 'system']);
const MAX_CACHE_BREAKPOINTS = 4;

/** A validated `POST /v1/messages` (or `count_tokens`) body, reduced to what the simulator needs. */
export interface MessagesRequest {
  body: Record<string, unknown>;
  model: ModelSpec;
  stream: boolean;
  maxTokens: number;
  stop: string[];
  tools: ReplyTool[];
  toolChoice: ReplyToolChoice;
  /** False when `tool_choice.disable_parallel_tool_use` is true. */
  parallelToolCalls: boolean;
  outputSchema?: unknown;
  userText: string;
  toolResultText?: string;
  /** The tools whose `tool_result` blocks in the latest turn have `is_error: true`. */
  failingTools?: FailingTool[];
  seed: number;
  fingerprint: string;
}

/**
 * Validates a Messages body as the real API does (`messages: Field required`, tool_result
 * pairing, the four-breakpoint limit, `max_tokens` against the model's limit, …). With
 * `forCounting`, `max_tokens` is not required (`count_tokens`).
 */
export function parseMessagesRequest(
  text: string,
  models: ModelTable,
  forCounting = false,
): MessagesRequest | ErrorResponse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return anthropicErrors.invalidJson();
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return invalidRequest('Input should be a valid dictionary');
  const request = body as Record<string, unknown>;
  for (const field of forCounting ? ['model', 'messages'] : ['model', 'messages', 'max_tokens']) {
    if (request[field] === undefined) return invalidRequest(`${field}: Field required`);
  }
  if (typeof request['model'] !== 'string') return invalidRequest('model: Input should be a valid string');
  const messages = request['messages'];
  if (!Array.isArray(messages)) return invalidRequest('messages: Input should be a valid list');
  const maxTokens = request['max_tokens'];
  if (!forCounting && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens))) {
    return invalidRequest('max_tokens: Input should be a valid integer');
  }
  if (!forCounting && (maxTokens as number) < 1)
    return invalidRequest('max_tokens: Input should be greater than or equal to 1');
  const system = request['system'];
  if (system !== undefined && typeof system !== 'string' && !Array.isArray(system)) {
    return invalidRequest('system: Input should be a valid string or a valid list');
  }
  const messageError = validateMessages(messages);
  if (messageError) return messageError;
  const breakpoints = countBreakpoints(request);
  if (breakpoints > MAX_CACHE_BREAKPOINTS) {
    return invalidRequest(
      `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`,
    );
  }
  const model = models.find('anthropic', request['model']);
  if (!model) return anthropicErrors.modelNotFound(request['model']);
  if (!forCounting && (maxTokens as number) > model.maxOutputTokens) {
    return invalidRequest(
      `max_tokens: ${maxTokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${model.id}`,
    );
  }
  const stop = request['stop_sequences'];
  if (stop !== undefined && !(Array.isArray(stop) && stop.every((entry) => typeof entry === 'string'))) {
    return invalidRequest('stop_sequences: Input should be a valid list');
  }
  const tools = parseTools(request['tools']);
  const toolChoice = parseToolChoice(request['tool_choice']);
  const format = ((request['output_config'] as Record<string, unknown> | undefined)?.['format'] ??
    request['output_format']) as Record<string, unknown> | null | undefined;
  if (format && format['type'] !== 'json_schema')
    return invalidRequest(`output_config.format.type: Input should be 'json_schema'`);
  const toolResultText = trailingToolResults(messages);
  const failing = toolResultText === undefined ? [] : failingTools(toolRounds(messages));
  return {
    body: request,
    model,
    stream: request['stream'] === true,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : model.maxOutputTokens,
    stop: (stop as string[] | undefined) ?? [],
    tools,
    toolChoice,
    parallelToolCalls: allowsParallelToolUse(request['tool_choice']),
    outputSchema: format ? (format['schema'] ?? {}) : undefined,
    userText: lastUserText(messages),
    toolResultText,
    failingTools: failing.length > 0 ? failing : undefined,
    ...conversationSeed(
      `${request['model']}\n${JSON.stringify(system ?? null)}\n${JSON.stringify(messages)}\n${JSON.stringify(request['tools'] ?? null)}\n${JSON.stringify(format?.['schema'] ?? null)}`,
    ),
  };
}

function validateMessages(messages: unknown[]): ErrorResponse | undefined {
  if (messages.length === 0) return invalidRequest('messages: at least one message is required');
  let previousToolUses = new Set<string>();
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as Record<string, unknown>;
    if (typeof message !== 'object' || message === null)
      return invalidRequest(`messages.${index}: Input should be a valid dictionary`);
    const role = message['role'];
    if (typeof role !== 'string' || !ROLES.has(role)) {
      return invalidRequest(`messages.${index}.role: Input should be 'user', 'assistant' or 'system'`);
    }
    const content = message['content'];
    if (content === undefined) return invalidRequest(`messages.${index}.content: Field required`);
    if (typeof content !== 'string' && !Array.isArray(content)) {
      return invalidRequest(`messages.${index}.content: Input should be a valid string or a valid list`);
    }
    const blocks = Array.isArray(content) ? (content as Array<Record<string, unknown>>) : [];
    for (let blockIndex = 0; blockIndex < blocks.length; blockIndex++) {
      const block = blocks[blockIndex];
      if (typeof block !== 'object' || block === null || typeof block['type'] !== 'string') {
        return invalidRequest(
          `messages.${index}.content.${blockIndex}: Input tag is missing or not a string`,
        );
      }
      if (block['type'] === 'tool_result' && !previousToolUses.has(String(block['tool_use_id']))) {
        return invalidRequest(
          `messages.${index}.content.${blockIndex}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block['tool_use_id'])}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
        );
      }
    }
    if (previousToolUses.size > 0) {
      const answered = new Set(
        blocks
          .filter((block) => block['type'] === 'tool_result')
          .map((block) => String(block['tool_use_id'])),
      );
      const missing = [...previousToolUses].filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return invalidRequest(
          `messages.${index - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
      }
    }
    previousToolUses = new Set(
      blocks.filter((block) => block['type'] === 'tool_use').map((block) => String(block['id'])),
    );
  }
  return undefined;
}

function countBreakpoints(request: Record<string, unknown>): number {
  let count = request['cache_control'] ? 1 : 0;
  const visit = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const item of items as Array<Record<string, unknown>>) {
      if (item?.['cache_control']) count++;
      if (item?.['type'] === 'tool_result') visit(item['content']);
    }
  };
  visit(request['tools']);
  visit(request['system']);
  for (const message of (request['messages'] as Array<Record<string, unknown>>) ?? [])
    visit(message['content']);
  return count;
}

function parseTools(raw: unknown): ReplyTool[] {
  if (!Array.isArray(raw)) return [];
  return (raw as Array<Record<string, unknown>>)
    .filter((tool) => typeof tool?.['name'] === 'string' && tool['input_schema'] !== undefined)
    .map((tool) => ({
      name: tool['name'] as string,
      description: String(tool['description'] ?? ''),
      schema: tool['input_schema'],
    }));
}

function parseToolChoice(raw: unknown): ReplyToolChoice {
  const choice = (raw ?? {}) as Record<string, unknown>;
  if (choice['type'] === 'any') return { type: 'required' };
  if (choice['type'] === 'none') return { type: 'none' };
  if (choice['type'] === 'tool' && typeof choice['name'] === 'string')
    return { type: 'tool', name: choice['name'] };
  return { type: 'auto' };
}

/** Parallel tool use is on unless `tool_choice` (any type) sets `disable_parallel_tool_use: true`. */
function allowsParallelToolUse(raw: unknown): boolean {
  return (raw as Record<string, unknown> | null | undefined)?.['disable_parallel_tool_use'] !== true;
}

function lastUserText(messages: unknown[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as Record<string, unknown>;
    if (message['role'] === 'user') {
      const text = blockText(message['content'], 'text');
      if (text.length > 0) return text;
    }
  }
  return blockText((messages.at(-1) as Record<string, unknown>)['content'], 'text');
}

function trailingToolResults(messages: unknown[]): string | undefined {
  const last = messages.at(-1) as Record<string, unknown>;
  if (last['role'] !== 'user' || !Array.isArray(last['content'])) return undefined;
  const results = (last['content'] as Array<Record<string, unknown>>).filter(
    (block) => block['type'] === 'tool_result',
  );
  if (results.length === 0) return undefined;
  return results.map((block) => blockText(block['content'], 'text')).join('\n');
}

/**
 * The trailing tool rounds, oldest first: each is an assistant message with `tool_use` blocks
 * followed by a user message with `tool_result` blocks; the walk stops at the first pair that
 * breaks the pattern.
 */
function toolRounds(messages: unknown[]): ToolResultOutcome[][] {
  const rounds: ToolResultOutcome[][] = [];
  for (let index = messages.length - 1; index >= 1; index -= 2) {
    const user = messages[index] as Record<string, unknown>;
    const assistant = messages[index - 1] as Record<string, unknown>;
    if (user['role'] !== 'user' || assistant['role'] !== 'assistant') break;
    if (!Array.isArray(user['content']) || !Array.isArray(assistant['content'])) break;
    const results = (user['content'] as Array<Record<string, unknown>>).filter(
      (block) => block['type'] === 'tool_result',
    );
    if (results.length === 0) break;
    const names = new Map<string, string>();
    for (const block of assistant['content'] as Array<Record<string, unknown>>) {
      if (block['type'] === 'tool_use' && typeof block['name'] === 'string')
        names.set(String(block['id']), block['name']);
    }
    rounds.unshift(
      results.map((block) => ({
        name: names.get(String(block['tool_use_id'])) ?? '',
        error: block['is_error'] === true,
      })),
    );
  }
  return rounds;
}

function blockText(content: unknown, type: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Array<Record<string, unknown>>)
    .filter((block) => block?.['type'] === type && typeof block['text'] === 'string')
    .map((block) => block['text'] as string)
    .join('\n');
}
