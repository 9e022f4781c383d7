import { AuthError } from './auth-error.ts';
import { ContentFilterError } from './content-filter-error.ts';
import { ContextOverflowError } from './context-overflow-error.ts';
import { parseRetryAfter } from './parse-retry-after.ts';
import { ProviderError } from './provider-error.ts';
import { RateLimitError } from './rate-limit-error.ts';
import { ReinsError } from './reins-error.ts';
import { TimeoutError } from './timeout-error.ts';

const CONTEXT_OVERFLOW =
  /context[_ ]length[_ ]exceeded|prompt is too long|maximum context length|context window|too many (input )?tokens|input is too long/i;
const LONG_REQUEST =
  /Streaming is (required|strongly recommended) for operations that may take longer than 10 minutes/;
const CONTENT_FILTER = /content[_ ]filter|content_policy|responsible ai policy|safety system/i;

type ApiErrorLike = {
  status?: number;
  headers?: { get(name: string): string | null };
  error?: unknown;
  message?: string;
  requestID?: string | null;
};

const NETWORK_CODES =
  /^(UND_ERR|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)/;

/** undici reports a body cut mid-stream as `TypeError: terminated` (cause `UND_ERR_SOCKET`). */
function isNetworkError(error: {
  name?: string;
  message?: string;
  cause?: unknown;
  code?: unknown;
}): boolean {
  const code = (error.cause as { code?: unknown } | undefined)?.code ?? error.code;
  if (typeof code === 'string' && NETWORK_CODES.test(code)) return true;
  return error.name === 'TypeError' && (error.message === 'terminated' || error.message === 'fetch failed');
}

type Context = { provider?: string; model?: string; redact?: (text: string) => string };

/** Anthropic puts `{ type: 'error', error: { type, message } }` in `.error`; OpenAI puts the inner object. */
function innerBody(error: unknown): { code?: string; type?: string; message?: string } {
  if (error === null || typeof error !== 'object') return {};
  const record = error as Record<string, unknown>;
  const inner = record['error'] !== null && typeof record['error'] === 'object' ? record['error'] : record;
  const body = inner as Record<string, unknown>;
  return {
    code: typeof body['code'] === 'string' ? body['code'] : undefined,
    type: typeof body['type'] === 'string' ? body['type'] : undefined,
    message: typeof body['message'] === 'string' ? body['message'] : undefined,
  };
}

/**
 * The one place that maps what the SDKs throw (status, headers, body) to Reins's typed errors.
 * Duck-typed, so it imports no SDK. Messages pass through `redact`, so a key echoed in a
 * provider's error text never reaches a log. Non-provider errors (bugs) come back unchanged.
 *
 * @example
 * catch (error) { throw toReinsError(error, { provider: 'openai', model: 'gpt-5.6-luna', redact }); }
 */
export function toReinsError(error: unknown, context: Context = {}): unknown {
  if (ReinsError.isInstance(error)) return error;
  if (error === null || typeof error !== 'object') return error;
  const redact = context.redact ?? ((text: string) => text);
  const className = (error as { constructor?: { name?: string } }).constructor?.name ?? '';
  const apiError = error as ApiErrorLike;
  const base = {
    cause: error,
    provider: context.provider,
    model: context.model,
    requestId: apiError.requestID ?? undefined,
  };
  const where = context.provider !== undefined ? `${context.provider}/${context.model ?? '?'}: ` : '';
  const rawMessage = redact(String(apiError.message ?? className));

  // The caller's own abort is not a provider failure; the call layer rethrows the signal's reason.
  if (className === 'APIUserAbortError') return error;
  // Anthropic's SDK refuses a non-streaming request whose maxTokens could take over 10 minutes.
  if (LONG_REQUEST.test(rawMessage)) {
    return new ProviderError(
      `${where}maxTokens is too large for a non-streaming request (the SDK expects it could take over 10 minutes): use client.stream(...) or lower maxTokens. ${rawMessage}`,
      { ...base, status: 400, isRetryable: false },
    );
  }
  if (className === 'APIConnectionTimeoutError') {
    return new TimeoutError(`${where}request timed out`, { ...base, limit: 'request' });
  }
  if (className === 'APIConnectionError' || isNetworkError(error as Record<string, unknown>)) {
    return new ProviderError(`${where}connection error: ${rawMessage}`, { ...base, isRetryable: true });
  }
  const status = typeof apiError.status === 'number' ? apiError.status : undefined;
  const body = innerBody(apiError.error);
  const detail = redact(body.message ?? rawMessage);
  const options = { ...base, status };

  if (status === undefined) {
    // An error event inside a stream: the SDKs raise an APIError without a status.
    if (!className.startsWith('API') && !('error' in apiError)) return error;
    if (body.type === 'overloaded_error' || body.type === 'api_error') {
      return new ProviderError(`${where}${detail}`, { ...options, isRetryable: true, body: apiError.error });
    }
    if (body.type === 'rate_limit_error') return new RateLimitError(`${where}${detail}`, options);
    return new ProviderError(`${where}${detail}`, { ...options, isRetryable: true, body: apiError.error });
  }
  if (status === 429) {
    const quota = body.code === 'insufficient_quota' || body.type === 'insufficient_quota';
    return new RateLimitError(`${where}429 ${detail}`, {
      ...options,
      isRetryable: !quota,
      retryAfterMs: parseRetryAfter(apiError.headers),
    });
  }
  if (status === 401 || status === 403) {
    return new AuthError(`${where}${status} ${detail}`, options);
  }
  if (status === 400 || status === 413 || status === 422) {
    if (body.code === 'context_length_exceeded' || CONTEXT_OVERFLOW.test(detail)) {
      return new ContextOverflowError(`${where}${status} ${detail}`, options);
    }
    if (
      body.code === 'content_filter' ||
      body.code === 'content_policy_violation' ||
      CONTENT_FILTER.test(detail)
    ) {
      return new ContentFilterError(`${where}${status} ${detail}`, options);
    }
  }
  const retryable = status === 408 || status === 409 || status >= 500;
  return new ProviderError(`${where}${status} ${detail}`, {
    ...options,
    isRetryable: retryable,
    body: apiError.error,
  });
}
