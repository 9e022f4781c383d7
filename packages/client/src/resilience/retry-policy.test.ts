import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors/auth-error.ts';
import { ContentFilterError } from '../errors/content-filter-error.ts';
import { ContextOverflowError } from '../errors/context-overflow-error.ts';
import { ProviderError } from '../errors/provider-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import { createRetryPolicy } from './retry-policy.ts';
import { retryWithBackoff } from './retry-with-backoff.ts';

const overloaded = new ProviderError('529', { status: 529, isRetryable: true });

describe('createRetryPolicy', () => {
  it('backs off exponentially with full jitter, capped, and stops after maxRetries', () => {
    const decide = createRetryPolicy({ maxRetries: 4, initialDelayMs: 100, maxDelayMs: 350 }, () => 0.999999);
    expect([1, 2, 3, 4].map((attempt) => Math.round(decide(overloaded, attempt)!))).toEqual([
      100, 200, 350, 350,
    ]);
    expect(decide(overloaded, 5)).toBeUndefined();
    const low = createRetryPolicy({}, () => 0);
    expect(low(overloaded, 1)).toBe(0);
  });

  it('waits what a 429 asks (plus a little jitter), and gives up past maxRetryAfterMs', () => {
    const decide = createRetryPolicy({ maxRetryAfterMs: 1_000 }, () => 0.5);
    const delay = decide(new RateLimitError('429', { retryAfterMs: 200 }), 1)!;
    expect(delay).toBeGreaterThanOrEqual(200);
    expect(delay).toBeLessThanOrEqual(300);
    expect(decide(new RateLimitError('429', { retryAfterMs: 5_000 }), 1)).toBeUndefined();
    expect(decide(new RateLimitError('quota', { isRetryable: false }), 1)).toBeUndefined();
  });

  it('never retries overflow, filter, auth, the total deadline; retries idle timeouts', () => {
    const decide = createRetryPolicy({}, () => 0.5);
    expect(decide(new ContextOverflowError('x'), 1)).toBeUndefined();
    expect(decide(new ContentFilterError('x'), 1)).toBeUndefined();
    expect(decide(new AuthError('x'), 1)).toBeUndefined();
    expect(decide(new ProviderError('404', { status: 404 }), 1)).toBeUndefined();
    expect(decide(new TimeoutError('x', { limit: 'total' }), 1)).toBeUndefined();
    expect(decide(new TimeoutError('x', { limit: 'idle' }), 1)).toBeTypeOf('number');
    expect(decide(new Error('bug'), 1)).toBeUndefined();
  });

  it('takes per-class overrides', () => {
    const decide = createRetryPolicy(
      { maxRetries: 1, perClass: { rateLimit: { maxRetries: 5 }, interrupted: { maxRetries: 0 } } },
      () => 0.5,
    );
    expect(decide(new RateLimitError('429'), 4)).toBeTypeOf('number');
    expect(decide(overloaded, 2)).toBeUndefined();
    expect(decide(new StreamInterruptedError('cut', { partialText: 'a' }), 1)).toBeUndefined();
  });
});

describe('retryWithBackoff', () => {
  it('retries through an injected sleep and stops when the signal aborts', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await retryWithBackoff(
      async () => {
        calls += 1;
        if (calls < 3) throw overloaded;
        return 'ok';
      },
      { shouldRetry: () => 10, sleep: async (milliseconds) => void waits.push(milliseconds) },
    );
    expect(value).toBe('ok');
    expect(waits).toEqual([10, 10]);

    const controller = new AbortController();
    const failing = retryWithBackoff(
      async () => {
        controller.abort(new Error('stop'));
        throw overloaded;
      },
      { shouldRetry: () => 10, sleep: async () => {}, signal: controller.signal },
    );
    await expect(failing).rejects.toBe(overloaded);
  });
});
