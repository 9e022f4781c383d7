import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.ts';

describe('createRateLimiter', () => {
  it('is disabled without limits', () => {
    expect(createRateLimiter(undefined, Date.now).enabled).toBe(false);
    expect(createRateLimiter({}, Date.now).enabled).toBe(false);
  });

  it('allows a burst of rpm, then refills continuously', () => {
    let now = 0;
    const limiter = createRateLimiter({ rpm: 2 }, () => now);
    expect(limiter.admit('k', 'm', 0).requests).toEqual({ limit: 2, remaining: 1, resetMs: 30_000 });
    expect(limiter.admit('k', 'm', 0).allowed).toBe(true);
    const refused = limiter.admit('k', 'm', 0);
    expect(refused).toMatchObject({ allowed: false, exceeded: 'requests', retryAfterMs: 30_000 });
    now += 15_000;
    expect(limiter.admit('k', 'm', 0)).toMatchObject({ allowed: false, retryAfterMs: 15_000 });
    now += 15_000;
    expect(limiter.admit('k', 'm', 0).allowed).toBe(true);
  });

  it('charges input tokens up front and output tokens afterwards', () => {
    let now = 0;
    const limiter = createRateLimiter({ tpm: 1000 }, () => now);
    expect(limiter.admit('k', 'm', 600).tokens?.remaining).toBe(400);
    limiter.spend('k', 'm', 300);
    expect(limiter.admit('k', 'm', 200)).toMatchObject({
      allowed: false,
      exceeded: 'tokens',
      retryAfterMs: 6000,
    });
    now += 6000;
    expect(limiter.admit('k', 'm', 200).allowed).toBe(true);
  });

  it('lets a prompt larger than the bucket through once the bucket is full', () => {
    let now = 0;
    const limiter = createRateLimiter({ tpm: 100 }, () => now);
    expect(limiter.admit('k', 'm', 500).allowed).toBe(true);
    expect(limiter.admit('k', 'm', 500)).toMatchObject({ allowed: false, retryAfterMs: 300_000 });
    now += 300_000;
    expect(limiter.admit('k', 'm', 500).allowed).toBe(true);
  });

  it('keys buckets by API key and model, with per-model configs and a * default', () => {
    const limiter = createRateLimiter({ a: { rpm: 1 }, '*': { rpm: 2 } }, () => 0);
    expect(limiter.admit('k', 'a', 0).allowed).toBe(true);
    expect(limiter.admit('k', 'a', 0).allowed).toBe(false);
    expect(limiter.admit('other', 'a', 0).allowed).toBe(true);
    expect(limiter.admit('k', 'b', 0).requests?.limit).toBe(2);
    limiter.reset();
    expect(limiter.admit('k', 'a', 0).allowed).toBe(true);
  });
});
