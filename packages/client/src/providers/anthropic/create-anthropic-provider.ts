import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { AuthError } from '../../errors/auth-error.ts';
import { parseToolInput } from '../parse-tool-input.ts';
import type {
  Provider,
  ProviderRequest,
  ProviderResult,
  ProviderStreamPart,
  ProviderToolCall,
} from '../provider.ts';
import { sdkRequestOptions } from '../sdk-request-options.ts';
import { defaultFetch } from '../undici-fetch.ts';
import { ANTHROPIC_JSON_TOOL, buildAnthropicRequest } from './build-anthropic-request.ts';
import { estimateAnthropicTokens } from './estimate-anthropic-tokens.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
import { type AnthropicUsage, mapAnthropicUsage } from './map-anthropic-usage.ts';

export type AnthropicProviderOptions = {
  name: string;
  apiKey?: string;
  baseURL?: string;
  /** Read when the first request is made, so a client can be built before the key is set. */
  apiKeyEnv?: string;
  /** The transport; default the shared undici transport (`defaultFetch()`); `globalThis.fetch` to use the global fetch. */
  fetch?: typeof globalThis.fetch;
};

function isJsonTool(request: ProviderRequest, name: string): boolean {
  return request.responseFormat !== undefined && name === ANTHROPIC_JSON_TOOL;
}

/**
 * The adapter for Anthropic's Messages API. SDK retries are off: Reins owns retries.
 *
 * @example
 * const anthropic = createAnthropicProvider({ name: 'anthropic', apiKeyEnv: 'ANTHROPIC_API_KEY' });
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): Provider {
  let client: Anthropic | undefined;
  const getClient = (): Anthropic => {
    if (client !== undefined) return client;
    const apiKey = options.apiKey ?? process.env[options.apiKeyEnv ?? 'ANTHROPIC_API_KEY'];
    if (apiKey === undefined || apiKey === '') {
      throw new AuthError(
        `No API key for provider "${options.name}": set ${options.apiKeyEnv ?? 'ANTHROPIC_API_KEY'} or pass providers.${options.name}.apiKey.`,
        { provider: options.name },
      );
    }
    client = new Anthropic({
      apiKey,
      ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
      maxRetries: 0,
      fetch: options.fetch ?? defaultFetch(),
    });
    return client;
  };

  return {
    name: options.name,
    kind: 'anthropic',
    estimateInputTokens: (request) => estimateAnthropicTokens(buildAnthropicRequest(request)),
    async doGenerate(request): Promise<ProviderResult> {
      const pending = getClient().messages.create(
        { ...buildAnthropicRequest(request), stream: false },
        sdkRequestOptions(request),
      );
      let message: Anthropic.Message;
      if (request.onResponse === undefined) message = await pending;
      else {
        const { data, response } = await pending.withResponse();
        request.onResponse(response.headers);
        message = data;
      }
      let text = '';
      const toolCalls: ProviderToolCall[] = [];
      for (const block of message.content) {
        if (block.type === 'text') text += block.text;
        else if (block.type === 'tool_use') {
          if (isJsonTool(request, block.name)) text += JSON.stringify(block.input);
          else
            toolCalls.push({
              id: block.id,
              name: block.name,
              input: block.input,
              rawInput: JSON.stringify(block.input),
            });
        }
      }
      const forcedJson =
        request.responseFormat !== undefined && message.stop_reason === 'tool_use' && toolCalls.length === 0;
      return {
        text,
        toolCalls,
        finishReason: forcedJson ? 'stop' : mapAnthropicFinishReason(message.stop_reason),
        rawFinishReason: message.stop_reason ?? null,
        usage: mapAnthropicUsage(message.usage as AnthropicUsage, request.cache?.ttl),
        responseModel: message.model,
        responseId: message.id,
      };
    },

    async doStream(request) {
      const pending = getClient().messages.create(
        { ...buildAnthropicRequest(request), stream: true },
        sdkRequestOptions(request),
      );
      if (request.onResponse === undefined) return streamParts(request, await pending);
      const { data, response } = await pending.withResponse();
      request.onResponse(response.headers);
      return streamParts(request, data);
    },

    async countTokens(request) {
      const { max_tokens: _maxTokens, stop_sequences: _stop, ...body } = buildAnthropicRequest(request);
      const counted = await getClient().messages.countTokens(
        body as Parameters<Anthropic['messages']['countTokens']>[0],
        sdkRequestOptions(request),
      );
      return counted.input_tokens;
    },
  };
}

async function* streamParts(
  request: ProviderRequest,
  stream: AsyncIterable<RawMessageStreamEvent>,
): AsyncGenerator<ProviderStreamPart> {
  const blocks = new Map<number, { id: string; name: string; json: string }>();
  let usage: AnthropicUsage = {};
  let stopReason: string | null = null;
  let responseModel: string | undefined;
  let responseId: string | undefined;
  let forcedJson = false;
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start':
        responseModel = event.message.model;
        responseId = event.message.id;
        usage = { ...(event.message.usage as AnthropicUsage) };
        break;
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') {
          blocks.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' });
        }
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') yield { type: 'text-delta', delta: event.delta.text };
        else if (event.delta.type === 'input_json_delta') {
          const block = blocks.get(event.index);
          if (block !== undefined) {
            block.json += event.delta.partial_json;
            if (isJsonTool(request, block.name))
              yield { type: 'text-delta', delta: event.delta.partial_json };
          }
        }
        break;
      case 'content_block_stop': {
        const block = blocks.get(event.index);
        if (block === undefined) break;
        blocks.delete(event.index);
        if (isJsonTool(request, block.name)) {
          forcedJson = true;
          break;
        }
        yield {
          type: 'tool-call',
          toolCall: {
            id: block.id,
            name: block.name,
            rawInput: block.json,
            input: parseToolInput(block.json),
          },
        };
        break;
      }
      case 'message_delta': {
        stopReason = event.delta.stop_reason ?? stopReason;
        // Delta usage is cumulative; input fields may be null when unchanged.
        const delta = event.usage as AnthropicUsage;
        usage = {
          ...usage,
          output_tokens: delta.output_tokens ?? usage.output_tokens ?? 0,
          ...(delta.input_tokens != null ? { input_tokens: delta.input_tokens } : {}),
          ...(delta.cache_read_input_tokens != null
            ? { cache_read_input_tokens: delta.cache_read_input_tokens }
            : {}),
          ...(delta.cache_creation_input_tokens != null
            ? { cache_creation_input_tokens: delta.cache_creation_input_tokens }
            : {}),
          ...(delta.output_tokens_details != null
            ? { output_tokens_details: delta.output_tokens_details }
            : {}),
        };
        yield { type: 'usage', usage: mapAnthropicUsage(usage, request.cache?.ttl) };
        break;
      }
      default:
        break;
    }
  }
  // The SDKs end a stream quietly when its signal aborts: that is not a finish.
  request.signal?.throwIfAborted();
  // No stop reason: the stream ended early (the caller reports it as interrupted).
  if (stopReason === null) return;
  yield {
    type: 'finish',
    finishReason: forcedJson && stopReason === 'tool_use' ? 'stop' : mapAnthropicFinishReason(stopReason),
    rawFinishReason: stopReason,
    ...(responseModel !== undefined ? { responseModel } : {}),
    ...(responseId !== undefined ? { responseId } : {}),
  };
}
