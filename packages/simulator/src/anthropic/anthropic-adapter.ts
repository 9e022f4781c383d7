import type { IncomingMessage } from 'node:http';
import { anthropicPromptSegments, anthropicTextTokens } from '../estimate-anthropic-tokens.ts';
import { header } from '../http-io.ts';
import type { ReplyPlan } from '../plan-reply.ts';
import type { BucketState } from '../rate-limiter.ts';
import type { ProviderAdapter } from '../serve-generation.ts';
import { toolCallIds } from '../tool-call-ids.ts';
import { anthropicError, anthropicErrorBody, anthropicErrors, invalidRequest } from './anthropic-error.ts';
import { messageBody } from './message-body.ts';
import { messageStream } from './message-stream.ts';
import { parseMessagesRequest } from './parse-messages-request.ts';

/** The simulator's Anthropic default minimum cacheable prefix, when a model sets none. */
const DEFAULT_MIN_CACHEABLE = 1024;

/** The key from `x-api-key`, or from `Authorization: Bearer` (what SDK 1.x sends). */
export function anthropicApiKey(request: IncomingMessage): string | undefined {
  const key = header(request, 'x-api-key');
  if (key) return key.trim() || undefined;
  const authorization = header(request, 'authorization');
  return authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() || undefined : undefined;
}

const toolUseIds = (plan: ReplyPlan) => toolCallIds(plan, 'toolu_01', 22);

/** `POST /v1/messages` as Anthropic serves it. */
export const anthropicAdapter: ProviderAdapter = {
  requestIdHeader: 'request-id',
  requestIdPrefix: 'req_011C',
  responseIdPrefix: 'msg_01',
  apiKey: anthropicApiKey,
  authError: (key) => (key ? anthropicErrors.wrongKey() : anthropicErrors.missingKey()),
  badRequest: (message) => invalidRequest(message),
  tooLarge: () =>
    anthropicError(413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
  parse(text, context, key) {
    const parsed = parseMessagesRequest(text, context.models);
    if ('status' in parsed) return parsed;
    const { model, body } = parsed;
    const segments = anthropicPromptSegments(body);
    let inputTokens = 0;
    for (const segment of segments) inputTokens += segment.tokens;
    return {
      model,
      stream: parsed.stream,
      inputTokens,
      reply: {
        seed: parsed.seed,
        fingerprint: parsed.fingerprint,
        userText: parsed.userText,
        toolResultText: parsed.toolResultText,
        failingTools: parsed.failingTools,
        tools: parsed.tools,
        toolChoice: parsed.toolChoice,
        parallelToolCalls: parsed.parallelToolCalls,
        outputSchema: parsed.outputSchema,
        maxTokens: parsed.maxTokens,
        stop: parsed.stop,
      },
      promptCache() {
        if (!segments.some((segment) => segment.cacheTtl !== undefined))
          return { cachedTokens: 0, writtenTokens: 0, written1h: 0 };
        const result = context.cache.anthropic(
          `anthropic|${key}|${model.id}`,
          segments,
          model.minCacheableTokens ?? DEFAULT_MIN_CACHEABLE,
        );
        return {
          cachedTokens: result.readTokens,
          writtenTokens: result.written5m + result.written1h,
          written1h: result.written1h,
        };
      },
      renderBody: (plan, usage, id) => messageBody(plan, usage, id, model, toolUseIds(plan)),
      renderStream: (plan, usage, id) => messageStream(plan, usage, id, model, toolUseIds(plan)),
    };
  },
  faultError(kind, _model, retryAfterMs) {
    if (kind !== '429') return anthropicErrors.server(Number(kind));
    return anthropicError(
      429,
      'rate_limit_error',
      'Number of requests has exceeded your rate limit (simulated fault). Please try again later.',
      ['retry-after', String(retryAfterMs / 1000), 'retry-after-ms', String(retryAfterMs)],
    );
  },
  overflowError: (model, tokens) => anthropicErrors.promptTooLong(tokens, model.contextWindow),
  rateLimited(decision, model, now) {
    const unit = decision.exceeded === 'tokens' ? 'input tokens' : 'requests';
    const limit = (decision.exceeded === 'tokens' ? decision.tokens?.limit : decision.requests?.limit) ?? 0;
    return anthropicError(
      429,
      'rate_limit_error',
      `This request would exceed your organization's rate limit of ${limit} ${unit} per minute (org: simulator, model: ${model.id}). Please reduce the prompt length or the maximum tokens requested, or try again later.`,
      [
        ...anthropicAdapter.rateHeaders(decision, now),
        'retry-after',
        String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))),
        'retry-after-ms',
        String(decision.retryAfterMs),
      ],
    );
  },
  rateHeaders(decision, now) {
    const headers: string[] = [];
    const add = (name: string, bucket: BucketState) => {
      headers.push(
        `anthropic-ratelimit-${name}-limit`,
        String(bucket.limit),
        `anthropic-ratelimit-${name}-remaining`,
        String(bucket.remaining),
      );
      headers.push(
        `anthropic-ratelimit-${name}-reset`,
        new Date(now + bucket.resetMs).toISOString().replace(/\.\d+Z$/, 'Z'),
      );
    };
    if (decision.requests) add('requests', decision.requests);
    if (decision.tokens) {
      add('tokens', decision.tokens);
      add('input-tokens', decision.tokens);
      add('output-tokens', decision.tokens);
    }
    return headers;
  },
  errorFrame: (requestId) =>
    `event: error\ndata: ${anthropicErrorBody('overloaded_error', 'Overloaded', requestId)}\n\n`,
  countTokens: anthropicTextTokens,
  truncate: (text, maxTokens) =>
    anthropicTextTokens(text) <= maxTokens ? text : text.slice(0, Math.floor((maxTokens * 7) / 2)),
};
