import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
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
import { defaultFetch, isUndiciFetch } from '../undici-fetch.ts';
import { buildOpenAIRequest, OPENAI_JSON_TOOL } from './build-openai-request.ts';
import { countOpenAITokens } from './count-openai-tokens.ts';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.ts';
import { mapOpenAIUsage } from './map-openai-usage.ts';

export type OpenAIProviderOptions = {
  name: string;
  kind?: 'openai' | 'openai-compatible';
  apiKey?: string;
  baseURL?: string;
  /** Read when the first request is made, so a client can be built before the key is set. */
  apiKeyEnv?: string;
  /** The transport; default the shared undici transport (`defaultFetch()`); `globalThis.fetch` to use the global fetch. */
  fetch?: typeof globalThis.fetch;
};

/**
 * What the SDK throws for an aborted request, for one whose signal it never saw (it went to the
 * transport, see `sdkRequestOptions`): the SDK reports the transport's abort as a connection error.
 */
function userAbortError(signal: AbortSignal): Error {
  const error = new OpenAI.APIUserAbortError();
  Object.defineProperty(error, 'cause', { value: signal.reason, writable: true, configurable: true });
  return error;
}

/** Structured output in tool mode comes back as a forced call: present it as plain JSON text. */
function unwrapJsonTool(request: ProviderRequest, text: string, toolCalls: ProviderToolCall[]) {
  if (request.responseFormat?.mode !== 'tool') return { text, toolCalls };
  const call = toolCalls.find((toolCall) => toolCall.name === OPENAI_JSON_TOOL);
  if (call === undefined) return { text, toolCalls };
  return { text: call.rawInput, toolCalls: toolCalls.filter((toolCall) => toolCall !== call) };
}

/**
 * The adapter for OpenAI's Chat Completions API and any server that speaks it (vLLM, llama.cpp,
 * Ollama, LM Studio…). SDK retries are off: Reins owns retries.
 *
 * @example
 * const openai = createOpenAIProvider({ name: 'openai' });
 * const local = createOpenAIProvider({ name: 'local', kind: 'openai-compatible', baseURL: 'http://localhost:8000/v1' });
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): Provider {
  const kind = options.kind ?? 'openai';
  const transport = options.fetch ?? defaultFetch();
  // Our own transport takes a non-streaming request's signal out of band (`sdkRequestOptions`).
  const signalToTransport = isUndiciFetch(transport);
  let client: OpenAI | undefined;
  const getClient = (): OpenAI => {
    if (client !== undefined) return client;
    const apiKey =
      options.apiKey ?? (options.apiKeyEnv !== undefined ? process.env[options.apiKeyEnv] : undefined);
    if ((apiKey === undefined || apiKey === '') && kind === 'openai') {
      throw new AuthError(
        `No API key for provider "${options.name}": set ${options.apiKeyEnv ?? 'OPENAI_API_KEY'} or pass providers.${options.name}.apiKey.`,
        { provider: options.name },
      );
    }
    client = new OpenAI({
      // Local OpenAI-compatible servers usually take no key; the SDK insists on one.
      apiKey: apiKey === undefined || apiKey === '' ? 'not-needed' : apiKey,
      baseURL: options.baseURL ?? null,
      maxRetries: 0,
      fetch: transport,
    });
    return client;
  };

  return {
    name: options.name,
    kind,
    estimateInputTokens: (request) => countOpenAITokens(buildOpenAIRequest(request, kind)),
    async doGenerate(request): Promise<ProviderResult> {
      const body = buildOpenAIRequest(request, kind);
      const pending = getClient().chat.completions.create(
        { ...body, stream: false },
        sdkRequestOptions(request, signalToTransport),
      );
      let completion: OpenAI.ChatCompletion;
      try {
        if (request.onResponse === undefined) completion = await pending;
        else {
          const { data, response } = await pending.withResponse();
          request.onResponse(response.headers);
          completion = data;
        }
      } catch (error) {
        if (signalToTransport && request.signal?.aborted) throw userAbortError(request.signal);
        throw error;
      }
      const choice = completion.choices[0];
      const message = choice?.message;
      const toolCalls: ProviderToolCall[] = [];
      for (const call of message?.tool_calls ?? []) {
        if (call.type !== 'function') continue;
        toolCalls.push({
          id: call.id,
          name: call.function.name,
          rawInput: call.function.arguments,
          input: parseToolInput(call.function.arguments),
        });
      }
      const refused = typeof message?.refusal === 'string' && message.refusal !== '';
      const unwrapped = unwrapJsonTool(
        request,
        message?.content ?? (refused ? (message?.refusal ?? '') : ''),
        toolCalls,
      );
      return {
        text: unwrapped.text,
        toolCalls: unwrapped.toolCalls,
        finishReason:
          request.responseFormat?.mode === 'tool' &&
          unwrapped.toolCalls.length === 0 &&
          choice?.finish_reason === 'tool_calls'
            ? 'stop'
            : mapOpenAIFinishReason(choice?.finish_reason, refused),
        rawFinishReason: refused ? 'refusal' : (choice?.finish_reason ?? null),
        usage: mapOpenAIUsage(completion.usage),
        responseModel: completion.model,
        responseId: completion.id,
      };
    },

    async doStream(request) {
      const body = buildOpenAIRequest(request, kind);
      const pending = getClient().chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        sdkRequestOptions(request),
      );
      if (request.onResponse === undefined) return streamParts(request, await pending);
      const { data, response } = await pending.withResponse();
      request.onResponse(response.headers);
      return streamParts(request, data);
    },
  };
}

async function* streamParts(
  request: ProviderRequest,
  stream: AsyncIterable<ChatCompletionChunk>,
): AsyncGenerator<ProviderStreamPart> {
  const pending = new Map<number, { id: string; name: string; arguments: string }>();
  let finishReason: string | null = null;
  let refusal = '';
  let responseModel: string | undefined;
  let responseId: string | undefined;
  let calls = 0;
  const jsonTool = request.responseFormat?.mode === 'tool';
  // Tool calls arrive as argument fragments by index; they are whole once the choice finishes.
  function* flushToolCalls(): Generator<ProviderStreamPart> {
    for (const index of [...pending.keys()].sort((a, b) => a - b)) {
      const entry = pending.get(index)!;
      pending.delete(index);
      if (jsonTool && entry.name === OPENAI_JSON_TOOL) continue;
      calls += 1;
      yield {
        type: 'tool-call',
        toolCall: {
          id: entry.id,
          name: entry.name,
          rawInput: entry.arguments,
          input: parseToolInput(entry.arguments),
        },
      };
    }
  }
  for await (const chunk of stream) {
    responseModel ??= chunk.model;
    responseId ??= chunk.id;
    const choice = chunk.choices[0];
    if (choice !== undefined) {
      const delta = choice.delta;
      if (typeof delta.content === 'string' && delta.content !== '')
        yield { type: 'text-delta', delta: delta.content };
      if (typeof delta.refusal === 'string') refusal += delta.refusal;
      for (const call of delta.tool_calls ?? []) {
        let entry = pending.get(call.index);
        if (entry === undefined) {
          entry = { id: call.id ?? '', name: call.function?.name ?? '', arguments: '' };
          pending.set(call.index, entry);
        }
        if (call.id) entry.id = call.id;
        if (call.function?.name) entry.name = call.function.name;
        if (call.function?.arguments) {
          entry.arguments += call.function.arguments;
          if (jsonTool && entry.name === OPENAI_JSON_TOOL)
            yield { type: 'text-delta', delta: call.function.arguments };
        }
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        finishReason = choice.finish_reason;
        yield* flushToolCalls();
      }
    }
    if (chunk.usage !== undefined && chunk.usage !== null)
      yield { type: 'usage', usage: mapOpenAIUsage(chunk.usage) };
  }
  // The SDKs end a stream quietly when its signal aborts: that is not a finish.
  request.signal?.throwIfAborted();
  // A stream that ended without a finish reason is incomplete; its fragments are not calls.
  if (finishReason !== null) yield* flushToolCalls();
  if (refusal !== '') yield { type: 'text-delta', delta: refusal };
  const refused = refusal !== '';
  if (finishReason === null && !refused) return;
  yield {
    type: 'finish',
    finishReason:
      jsonTool && calls === 0 && finishReason === 'tool_calls'
        ? 'stop'
        : mapOpenAIFinishReason(finishReason, refused),
    rawFinishReason: refused ? 'refusal' : finishReason,
    ...(responseModel !== undefined ? { responseModel } : {}),
    ...(responseId !== undefined ? { responseId } : {}),
  };
}
