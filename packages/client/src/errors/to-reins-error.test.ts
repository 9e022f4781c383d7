import { APIError as AnthropicAPIError } from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../record/redact-secrets.ts';
import { AuthError } from './auth-error.ts';
import { ContentFilterError } from './content-filter-error.ts';
import { ContextOverflowError } from './context-overflow-error.ts';
import { ProviderError } from './provider-error.ts';
import { RateLimitError } from './rate-limit-error.ts';
import { ReinsError } from './reins-error.ts';
import { TimeoutError } from './timeout-error.ts';
import { toReinsError } from './to-reins-error.ts';

const context = { provider: 'openai', model: 'gpt-5.6-luna' };

describe('toReinsError (real SDK error classes, duck-typed)', () => {
  it('maps 429 with retry-after-ms to a retryable RateLimitError', () => {
    const error = OpenAI.APIError.generate(
      429,
      { error: { message: 'Rate limit reached', type: 'requests' } },
      undefined,
      new Headers({ 'retry-after-ms': '1500' }),
    );
    const mapped = toReinsError(error, context);
    expect(RateLimitError.isInstance(mapped)).toBe(true);
    expect(mapped).toMatchObject({ isRetryable: true, retryAfterMs: 1500, status: 429, provider: 'openai' });
  });

  it('treats insufficient_quota as a 429 that no retry can fix', () => {
    const error = OpenAI.APIError.generate(
      429,
      { error: { message: 'You exceeded your quota', code: 'insufficient_quota' } },
      undefined,
      new Headers(),
    );
    expect(toReinsError(error, context)).toMatchObject({ name: 'RateLimitError', isRetryable: false });
  });

  it('recognises context overflow on both providers', () => {
    const openai = OpenAI.APIError.generate(
      400,
      {
        error: {
          message: "This model's maximum context length is 128000 tokens",
          code: 'context_length_exceeded',
        },
      },
      undefined,
      new Headers(),
    );
    const anthropic = AnthropicAPIError.generate(
      400,
      {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message: 'prompt is too long: 210000 tokens > 200000 maximum',
        },
      },
      undefined,
      new Headers(),
    );
    expect(ContextOverflowError.isInstance(toReinsError(openai, context))).toBe(true);
    expect(ContextOverflowError.isInstance(toReinsError(anthropic, { provider: 'anthropic' }))).toBe(true);
  });

  it('maps auth failures, overloads, filters, timeouts and connection errors', () => {
    const auth = OpenAI.APIError.generate(
      401,
      { error: { message: 'Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuv' } },
      undefined,
      new Headers(),
    );
    const mappedAuth = toReinsError(auth, { ...context, redact: createRedactor() }) as AuthError;
    expect(AuthError.isInstance(mappedAuth)).toBe(true);
    expect(mappedAuth.message).not.toContain('abcdefghijklmnop');

    const overloaded = AnthropicAPIError.generate(
      529,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      undefined,
      new Headers(),
    );
    expect(toReinsError(overloaded, context)).toMatchObject({
      name: 'ProviderError',
      isRetryable: true,
      status: 529,
    });
    const notFound = OpenAI.APIError.generate(
      404,
      { error: { message: 'model not found' } },
      undefined,
      new Headers(),
    );
    expect(toReinsError(notFound, context)).toMatchObject({ name: 'ProviderError', isRetryable: false });
    const filtered = OpenAI.APIError.generate(
      400,
      { error: { message: 'flagged', code: 'content_filter' } },
      undefined,
      new Headers(),
    );
    expect(ContentFilterError.isInstance(toReinsError(filtered, context))).toBe(true);
    expect(TimeoutError.isInstance(toReinsError(new OpenAI.APIConnectionTimeoutError(), context))).toBe(true);
    const connection = toReinsError(new OpenAI.APIConnectionError({ message: 'ECONNRESET' }), context);
    expect(connection).toMatchObject({ name: 'ProviderError', isRetryable: true });
  });

  it("maps the Anthropic SDK's long-request refusal to a 400 naming maxTokens", () => {
    const error = new Error(
      'Streaming is required for operations that may take longer than 10 minutes. See https://example.test for more details',
    );
    const mapped = toReinsError(error, { provider: 'anthropic', model: 'claude-opus-4-8' });
    expect(mapped).toMatchObject({ name: 'ProviderError', status: 400, isRetryable: false });
    expect((mapped as Error).message).toMatch(/maxTokens/);
  });

  it('leaves programming errors and aborts alone', () => {
    const bug = new TypeError('x is undefined');
    expect(toReinsError(bug, context)).toBe(bug);
    const abort = new OpenAI.APIUserAbortError();
    expect(toReinsError(abort, context)).toBe(abort);
  });

  it('isInstance follows the class chain and survives a second copy of the package', () => {
    const error = new RateLimitError('slow down');
    expect(ReinsError.isInstance(error)).toBe(true);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(ProviderError.isInstance(error)).toBe(false);
    // A copy of the package would have its own class objects but the same Symbol.for markers.
    const foreign = Object.defineProperty({}, Symbol.for('reins.error.RateLimitError'), { value: true });
    expect(RateLimitError.isInstance(foreign)).toBe(true);
  });
});
