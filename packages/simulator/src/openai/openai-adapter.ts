import { countOpenAIChatTokens, encodeOpenAIChatPrompt } from '../count-openai-chat-tokens.ts';
import { header } from '../http-io.ts';
import { countO200kTokens, truncateO200k } from '../o200k-tokens.ts';
import type { ProviderAdapter } from '../serve-generation.ts';
import { toolCallIds } from '../tool-call-ids.ts';
import { chatCompletionBody } from './chat-completion-body.ts';
import { chatCompletionStream } from './chat-completion-stream.ts';
import { formatDuration, openAIError, openAIErrors } from './openai-error.ts';
import { parseChatRequest } from './parse-chat-request.ts';

const MINUTE = 60_000;

/** `POST /v1/chat/completions` as OpenAI serves it. */
export const openAIAdapter: ProviderAdapter = {
  requestIdHeader: 'x-request-id',
  requestIdPrefix: 'req_',
  responseIdPrefix: 'chatcmpl-',
  apiKey(request) {
    const authorization = header(request, 'authorization');
    if (!authorization?.startsWith('Bearer ')) return undefined;
    return authorization.slice(7).trim() || undefined;
  },
  authError: (key) => (key ? openAIErrors.wrongKey(key) : openAIErrors.missingKey()),
  badRequest: (message) => openAIError(400, message, 'invalid_request_error'),
  tooLarge: () => openAIError(413, 'Request body too large.', 'invalid_request_error'),
  parse(text, context, key) {
    const chat = parseChatRequest(text, context.models);
    if ('status' in chat) return chat;
    const { model, body } = chat;
    const inputTokens = countOpenAIChatTokens(body);
    return {
      model,
      stream: chat.stream,
      inputTokens,
      reply: {
        seed: chat.seed,
        fingerprint: chat.fingerprint,
        userText: chat.userText,
        toolResultText: chat.toolResultText,
        failingTools: chat.failingTools,
        tools: chat.tools,
        toolChoice: chat.toolChoice,
        outputSchema: chat.outputSchema,
        jsonObject: chat.jsonObject,
        parallelToolCalls: chat.parallelToolCalls,
        maxTokens: chat.maxTokens ?? model.maxOutputTokens,
        stop: chat.stop,
      },
      promptCache() {
        if (inputTokens < 1024) return { cachedTokens: 0, writtenTokens: 0, written1h: 0 };
        const result = context.cache.openai(
          `openai|${key}|${model.id}`,
          encodeOpenAIChatPrompt(body),
          cacheTtlMs(body, model.reportsCacheWrites),
        );
        return {
          cachedTokens: result.cachedTokens,
          writtenTokens: model.reportsCacheWrites ? result.writtenTokens : 0,
          written1h: 0,
        };
      },
      renderBody: (plan, usage, id) => chatCompletionBody(plan, usage, id, model, toolCallIds(plan, 'call_')),
      renderStream: (plan, usage, id) =>
        chatCompletionStream(plan, usage, id, model, toolCallIds(plan, 'call_'), chat.includeUsage),
    };
  },
  faultError(kind, model, retryAfterMs) {
    if (kind !== '429') return openAIErrors.server(Number(kind));
    const seconds = retryAfterMs / 1000;
    return openAIErrors.rateLimited(model.id, 'requests', undefined, retryAfterMs, [
      'retry-after',
      String(seconds),
      'retry-after-ms',
      String(retryAfterMs),
    ]);
  },
  overflowError: (model, tokens) => openAIErrors.contextLength(model.contextWindow, tokens),
  rateLimited(decision, model) {
    const unit = decision.exceeded ?? 'requests';
    const limit = (unit === 'requests' ? decision.requests?.limit : decision.tokens?.limit) ?? 0;
    return openAIErrors.rateLimited(model.id, unit, limit, decision.retryAfterMs, [
      ...openAIAdapter.rateHeaders(decision, 0),
      'retry-after',
      String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))),
      'retry-after-ms',
      String(decision.retryAfterMs),
    ]);
  },
  rateHeaders(decision) {
    const headers: string[] = [];
    const { requests, tokens } = decision;
    if (requests) {
      headers.push(
        'x-ratelimit-limit-requests',
        String(requests.limit),
        'x-ratelimit-remaining-requests',
        String(requests.remaining),
      );
      headers.push('x-ratelimit-reset-requests', formatDuration(requests.resetMs));
    }
    if (tokens) {
      headers.push(
        'x-ratelimit-limit-tokens',
        String(tokens.limit),
        'x-ratelimit-remaining-tokens',
        String(tokens.remaining),
      );
      headers.push('x-ratelimit-reset-tokens', formatDuration(tokens.resetMs));
    }
    return headers;
  },
  errorFrame: () =>
    `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } })}\n\n`,
  countTokens: countO200kTokens,
  truncate: truncateO200k,
};

function cacheTtlMs(body: Record<string, unknown>, extended: boolean | undefined): number {
  const options = body['prompt_cache_options'] as Record<string, unknown> | undefined;
  const ttl = typeof options?.['ttl'] === 'string' ? options['ttl'] : undefined;
  const match = ttl === undefined ? null : /^(\d+)([mh])$/.exec(ttl);
  if (match) return Number(match[1]) * (match[2] === 'h' ? 60 : 1) * MINUTE;
  if (body['prompt_cache_retention'] === '24h') return 24 * 60 * MINUTE;
  return extended ? 30 * MINUTE : 10 * MINUTE;
}
