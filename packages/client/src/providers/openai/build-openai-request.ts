import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions/completions';
import type { ProviderKind, ProviderRequest } from '../provider.ts';
import { convertToOpenAIMessages } from './convert-to-openai-messages.ts';
import { toOpenAIStrictSchema } from './to-openai-strict-schema.ts';

/** The forced function that carries structured output in `mode: 'tool'`. */
export const OPENAI_JSON_TOOL = 'json_output';

/**
 * One Reins request → the Chat Completions body (without `stream`). OpenAI itself gets
 * `max_completion_tokens` and `prompt_cache_key`; OpenAI-compatible servers get the widely
 * supported `max_tokens` and no OpenAI-only fields.
 *
 * @example
 * buildOpenAIRequest({ model: 'gpt-5.6-luna', messages, maxTokens: 200 }, 'openai')
 */
export function buildOpenAIRequest(
  request: ProviderRequest,
  kind: ProviderKind,
): ChatCompletionCreateParamsBase {
  const body: ChatCompletionCreateParamsBase = {
    model: request.model,
    messages: convertToOpenAIMessages(request.system, request.messages),
  };
  if (request.maxTokens !== undefined) {
    if (kind === 'openai') body.max_completion_tokens = request.maxTokens;
    else body.max_tokens = request.maxTokens;
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (kind === 'openai' && request.cache?.promptCacheKey !== undefined) {
    body.prompt_cache_key = request.cache.promptCacheKey;
  }
  const tools = (request.tools ?? []).map((tool) => ({
    type: 'function' as const,
    function: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.inputSchema,
    },
  }));
  const format = request.responseFormat;
  if (format !== undefined) {
    const strictSchema = toOpenAIStrictSchema(format.schema);
    const schema = strictSchema ?? format.schema;
    if (format.mode === 'tool') {
      tools.push({
        type: 'function',
        function: {
          name: OPENAI_JSON_TOOL,
          description: `Respond with ${format.name}`,
          parameters: schema,
          ...(strictSchema !== null ? { strict: true } : {}),
        } as (typeof tools)[number]['function'],
      });
      body.tool_choice = { type: 'function', function: { name: OPENAI_JSON_TOOL } };
    } else {
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: format.name, schema, strict: strictSchema !== null },
      };
    }
  }
  if (tools.length > 0) body.tools = tools;
  const choice = request.toolChoice;
  if (choice !== undefined && body.tool_choice === undefined && tools.length > 0) {
    body.tool_choice =
      typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
  }
  return body;
}
