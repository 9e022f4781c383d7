import type {
  MessageCreateParamsBase,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { ProviderRequest } from '../provider.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';

/** The forced tool that carries structured output in `mode: 'tool'`. */
export const ANTHROPIC_JSON_TOOL = 'json_output';

/** Anthropic requires `max_tokens`; this applies when neither request nor defaults set it. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Anthropic's structured output wants closed objects; Zod's input-mode schema leaves them open. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const { $schema: _schema, ...rest } = node as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    result[key] =
      key === 'properties' || key === '$defs' ? mapValues(value, closeObjects) : closeObjects(value);
  }
  if (result['type'] === 'object' && result['additionalProperties'] === undefined)
    result['additionalProperties'] = false;
  return result;
}

function mapValues(value: unknown, map: (item: unknown) => unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, map(item)]));
}

function hasRecords(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  const record = node as Record<string, unknown>;
  const additional = record['additionalProperties'];
  if (additional !== undefined && additional !== false) return true;
  return Object.values(record).some(hasRecords);
}

/**
 * One Reins request → the Messages API body (without `stream`). Places `cache_control`
 * breakpoints where the cache plan says, and asks for structured output through
 * `output_config.format` (native) or a forced `json_output` tool (`mode: 'tool'`, or when the
 * schema has open records, which native structured output rejects).
 *
 * @example
 * buildAnthropicRequest({ model: 'claude-haiku-4-5', system: 'Be brief.', messages, maxTokens: 200 })
 */
export function buildAnthropicRequest(request: ProviderRequest): MessageCreateParamsBase {
  const plan = request.cache;
  const cacheControl = { type: 'ephemeral' as const, ...(plan?.ttl === '1h' ? { ttl: '1h' as const } : {}) };
  const body: MessageCreateParamsBase = {
    model: request.model,
    max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages: convertToAnthropicMessages(request.messages, plan?.messageIndexes, cacheControl),
  };
  if (request.system !== undefined && request.system !== '') {
    body.system = plan?.system
      ? [{ type: 'text', text: request.system, cache_control: cacheControl }]
      : request.system;
  }
  // No `temperature`: the Messages API version this SDK sends (2026-10-21) rejects every
  // sampling parameter with a 400, so the client drops it (and warns once, above this layer).
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;

  const tools: Tool[] = (request.tools ?? []).map((tool) => ({
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    input_schema: tool.inputSchema as Tool['input_schema'],
  }));
  let toolChoice: ToolChoice | undefined;
  const format = request.responseFormat;
  if (format !== undefined) {
    if (format.mode === 'native' && !hasRecords(format.schema)) {
      body.output_config = {
        format: { type: 'json_schema', schema: closeObjects(format.schema) as Record<string, unknown> },
      };
    } else {
      tools.push({
        name: ANTHROPIC_JSON_TOOL,
        description: `Respond with ${format.name}`,
        input_schema: format.schema as Tool['input_schema'],
      });
      toolChoice = { type: 'tool', name: ANTHROPIC_JSON_TOOL };
    }
  }
  if (tools.length > 0) {
    if (plan?.tools) tools[tools.length - 1] = { ...tools[tools.length - 1]!, cache_control: cacheControl };
    body.tools = tools;
  }
  const choice = request.toolChoice;
  if (toolChoice === undefined && choice !== undefined && tools.length > 0) {
    toolChoice =
      choice === 'auto'
        ? { type: 'auto' }
        : choice === 'required'
          ? { type: 'any' }
          : choice === 'none'
            ? { type: 'none' }
            : { type: 'tool', name: choice.name };
  }
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  return body;
}
