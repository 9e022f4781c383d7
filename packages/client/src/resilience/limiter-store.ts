/**
 * Requests and tokens per minute for one `provider/model` (`limits` in the client config).
 * `outputShare` (default 1) is the share of `maxTokens` a request is charged up front; the
 * difference to the tokens it really used is settled when it ends.
 *
 * @example
 * limits: { 'openai/gpt-5.6-luna': { rpm: 3_000, tpm: 1_000_000 } }
 */
export type RateLimits = { rpm?: number; tpm?: number; outputShare?: number };

/** What the provider's rate-limit headers said (see `parseRateLimitHeaders`). */
export type RateLimitObservation = {
  limitRequests?: number;
  limitTokens?: number;
  remainingRequests?: number;
  remainingTokens?: number;
};

type MaybePromise<T> = T | Promise<T>;

/**
 * Where the token buckets live. Buckets hold a minute's allowance and refill continuously (the
 * providers' model). Each method is atomic per key, so a Redis implementation (one Lua script per
 * method over a hash per key; `@reins/server`'s `createRedisLimiterStore`) shares one budget among
 * all workers; FIFO order of the waiters is kept per process by the limiter in front of it.
 * Methods may answer synchronously or with a promise; `now` is the caller's (monotonic) clock, and
 * a shared store may use its own clock instead as long as the answers stay relative (`take`'s
 * wait). A promise that rejects is logged and treated as "go" (the limiter fails open).
 *
 * @example
 * createClient({ limits: { 'openai/gpt-4o': { rpm: 500 } }, limiterStore: createMemoryLimiterStore() });
 */
export type LimiterStore = {
  /** Takes one request and `tokens`; returns 0 when taken, else the ms to wait before asking again. */
  take(key: string, tokens: number, now: number, limits: RateLimits): MaybePromise<number>;
  /** Gives back (negative: charges more) tokens once the real usage is known. */
  refund(key: string, tokens: number, now: number, limits: RateLimits): MaybePromise<void>;
  /** Tightens the buckets to what the provider reported remaining. */
  observe(
    key: string,
    observation: RateLimitObservation,
    now: number,
    limits: RateLimits,
  ): MaybePromise<void>;
  /**
   * After a 429: nothing is taken until `until`. `now` is the caller's clock at the same moment, so
   * a shared store on another clock can keep the duration (`until - now`) rather than the instant.
   */
  pause(key: string, until: number, now: number): MaybePromise<void>;
};

type Bucket = { requests: number; tokens: number; updatedAt: number; pausedUntil: number };

/**
 * The default store: buckets in this process, starting full (synchronous, so a request that
 * does not wait costs no promise). It keeps `slackMs` (default 250)
 * of refill in hand: our bucket starts when the first request leaves, the provider's when it
 * arrives, and their clocks differ a little, so without a reserve the client would run a fraction
 * of a token ahead and meet a 429 now and then. The reserve is paid once (a slightly smaller
 * burst), not per request: the refill rate is unchanged.
 *
 * @example
 * const store = createMemoryLimiterStore();
 */
export function createMemoryLimiterStore(options: { slackMs?: number } = {}): LimiterStore {
  const slackMs = options.slackMs ?? 250;
  const buckets = new Map<string, Bucket>();
  const refill = (key: string, now: number, limits: RateLimits): Bucket => {
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = {
        requests: limits.rpm ?? Number.POSITIVE_INFINITY,
        tokens: limits.tpm ?? Number.POSITIVE_INFINITY,
        updatedAt: now,
        pausedUntil: 0,
      };
      buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.updatedAt = now;
    if (limits.rpm !== undefined)
      bucket.requests = Math.min(limits.rpm, bucket.requests + (elapsed * limits.rpm) / 60_000);
    else bucket.requests = Number.POSITIVE_INFINITY;
    if (limits.tpm !== undefined)
      bucket.tokens = Math.min(limits.tpm, bucket.tokens + (elapsed * limits.tpm) / 60_000);
    else bucket.tokens = Number.POSITIVE_INFINITY;
    return bucket;
  };
  return {
    take(key, tokens, now, limits) {
      const bucket = refill(key, now, limits);
      if (bucket.pausedUntil > now) return bucket.pausedUntil - now;
      // A request larger than the whole bucket goes once the bucket is full (as providers do).
      const needed = limits.tpm !== undefined ? Math.min(tokens, limits.tpm) : 0;
      const requestSlack = limits.rpm !== undefined ? (limits.rpm * slackMs) / 60_000 : 0;
      const tokenSlack =
        limits.tpm !== undefined ? Math.min((limits.tpm * slackMs) / 60_000, limits.tpm - needed) : 0;
      if (bucket.requests >= 1 + requestSlack && bucket.tokens >= needed + tokenSlack) {
        bucket.requests -= 1;
        bucket.tokens -= tokens;
        return 0;
      }
      const requestWait =
        bucket.requests >= 1 + requestSlack || limits.rpm === undefined
          ? 0
          : ((1 + requestSlack - bucket.requests) * 60_000) / limits.rpm;
      const tokenWait =
        bucket.tokens >= needed + tokenSlack || limits.tpm === undefined
          ? 0
          : ((needed + tokenSlack - bucket.tokens) * 60_000) / limits.tpm;
      return Math.max(requestWait, tokenWait, 1);
    },
    refund(key, tokens, now, limits) {
      const bucket = refill(key, now, limits);
      if (limits.tpm !== undefined) bucket.tokens = Math.min(limits.tpm, bucket.tokens + tokens);
    },
    observe(key, observation, now, limits) {
      const bucket = refill(key, now, limits);
      if (observation.remainingRequests !== undefined)
        bucket.requests = Math.min(bucket.requests, observation.remainingRequests);
      if (observation.remainingTokens !== undefined)
        bucket.tokens = Math.min(bucket.tokens, observation.remainingTokens);
    },
    pause(key, until) {
      const bucket = buckets.get(key);
      if (bucket === undefined) {
        buckets.set(key, { requests: 0, tokens: 0, updatedAt: until, pausedUntil: until });
        return;
      }
      bucket.pausedUntil = Math.max(bucket.pausedUntil, until);
      bucket.requests = Math.min(bucket.requests, 0);
    },
  };
}
