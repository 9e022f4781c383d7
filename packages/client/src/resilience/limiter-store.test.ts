import { describe, expect, it } from 'vitest';
import { createMemoryLimiterStore, type LimiterStore } from './limiter-store.ts';
import { parseRateLimitHeaders } from './parse-rate-limit-headers.ts';
import { createRateLimiter } from './rate-limiter.ts';

describe('createMemoryLimiterStore', () => {
  it('starts full, refills continuously, weighs requests by tokens, pauses after a 429', () => {
    const store = createMemoryLimiterStore({ slackMs: 0 });
    const limits = { rpm: 2, tpm: 1_000 };
    expect(store.take('m', 400, 0, limits)).toBe(0);
    expect(store.take('m', 400, 0, limits)).toBe(0);
    // No request token left: one refills in 30 s.
    expect(store.take('m', 100, 0, limits)).toBe(30_000);
    expect(store.take('m', 100, 30_000, limits)).toBe(0);
    const tokens = { rpm: 1_000, tpm: 1_000 };
    expect(store.take('t', 900, 0, tokens)).toBe(0);
    // 100 left; 900 needs 800 more at 1,000 per minute = 48 s; a refund of 400 shortens it to 24 s.
    expect(store.take('t', 900, 0, tokens)).toBe(48_000);
    store.refund('t', 400, 0, tokens);
    expect(store.take('t', 900, 0, tokens)).toBe(24_000);
    // Larger than the bucket: goes once the bucket is full.
    expect(store.take('t', 5_000, 30_000, tokens)).toBe(0);
    store.pause('m', 70_000, 30_000);
    expect(store.take('m', 1, 65_000, limits)).toBe(5_000);
  });

  it('keeps a small reserve against clock skew (slackMs of refill)', () => {
    const store = createMemoryLimiterStore({ slackMs: 1_000 });
    const limits = { rpm: 60 };
    for (let index = 0; index < 59; index++) expect(store.take('m', 0, 0, limits)).toBe(0);
    // One token left, but the reserve is one second of refill (one more token).
    expect(store.take('m', 0, 0, limits)).toBe(1_000);
  });

  it('tightens to what the provider reports remaining', () => {
    const store = createMemoryLimiterStore({ slackMs: 0 });
    const limits = { rpm: 100 };
    store.observe('m', { remainingRequests: 0 }, 0, limits);
    expect(store.take('m', 0, 0, limits)).toBe(600);
  });
});

describe('createRateLimiter', () => {
  it('serves waiters in FIFO order and drops an aborted one', async () => {
    let clock = 0;
    const limiter = createRateLimiter({
      limits: { m: { rpm: 60_000 } },
      store: createMemoryLimiterStore({ slackMs: 0 }),
      now: () => clock,
    });
    for (let index = 0; index < 60_000; index++) limiter.acquire('m', 0);
    const order: number[] = [];
    const controller = new AbortController();
    const first = (limiter.acquire('m', 0) as Promise<number>).then(() => order.push(1));
    const second = (limiter.acquire('m', 0, controller.signal) as Promise<number>).catch(() =>
      order.push(-2),
    );
    const third = (limiter.acquire('m', 0) as Promise<number>).then(() => order.push(3));
    controller.abort();
    clock = 10;
    await Promise.all([first, second, third]);
    expect(order).toEqual([-2, 1, 3]);
  });

  it('holds the other requests of a new model until its first response has been read', async () => {
    const limiter = createRateLimiter({ now: () => 0 });
    expect(limiter.acquire('m', 10)).toBe(10);
    let second = false;
    const waiting = Promise.resolve(limiter.acquire('m', 10)).then(() => (second = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(second).toBe(false);
    limiter.observe('m', { limitRequests: 100, remainingRequests: 99 });
    await waiting;
    expect(second).toBe(true);
    expect(limiter.limits('m')).toEqual({ rpm: 100 });
  });

  it('learns limits from OpenAI and Anthropic headers', () => {
    expect(
      parseRateLimitHeaders(
        new Headers({ 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-tokens': '9000' }),
      ),
    ).toEqual({ limitRequests: 500, remainingTokens: 9000 });
    expect(
      parseRateLimitHeaders(
        new Headers({
          'anthropic-ratelimit-requests-limit': '50',
          'anthropic-ratelimit-tokens-remaining': '7',
        }),
      ),
    ).toEqual({ limitRequests: 50, remainingTokens: 7 });
    const limiter = createRateLimiter({ now: () => 0 });
    expect(limiter.limits('m')).toBeUndefined();
    limiter.observe('m', { limitRequests: 50, limitTokens: 1_000 });
    expect(limiter.limits('m')).toEqual({ rpm: 50, tpm: 1_000 });
  });

  it('hands a shared store the pause as until and now on the same clock', async () => {
    const pauses: Array<[number, number]> = [];
    const store: LimiterStore = {
      take: async () => 0,
      refund: async () => {},
      observe: async () => {},
      pause: async (_key, until, now) => void pauses.push([until, now]),
    };
    const limiter = createRateLimiter({ limits: { m: { rpm: 10 } }, store, now: () => 5_000 });
    limiter.onRateLimited('m', 1_500);
    expect(pauses).toEqual([[6_500, 5_000]]);
    expect(await limiter.acquire('m', 1)).toBe(1);
  });

  it('fails open when an async store rejects: the request goes, the error is logged', async () => {
    const errors: unknown[] = [];
    const failing = async () => {
      throw new Error('redis down');
    };
    const store: LimiterStore = { take: failing, refund: failing, observe: failing, pause: failing };
    const log = () => {};
    const limiter = createRateLimiter({
      limits: { m: { rpm: 10, tpm: 100 } },
      store,
      now: () => 0,
      logger: { info: log, warn: log, debug: log, error: (fields: object) => errors.push(fields) },
    });
    expect(await limiter.acquire('m', 5)).toBe(5);
    limiter.settle('m', 5, 1);
    limiter.observe('m', { remainingRequests: 1 });
    limiter.onRateLimited('m', 10);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatchObject({ event: 'reins.limiter_store_error', key: 'm' });
  });
});
