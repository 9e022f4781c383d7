/** Requests and tokens per minute for one API key on one model. */
export interface RateLimitConfig {
  rpm?: number;
  tpm?: number;
}

/** One config for every model, or configs by model id (`'*'` for the rest). */
export type RateLimits = RateLimitConfig | Record<string, RateLimitConfig>;

/** A bucket's state after a decision, for the provider's rate-limit headers. */
export interface BucketState {
  limit: number;
  remaining: number;
  /** Until the bucket is full again. */
  resetMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Which bucket refused: `requests` or `tokens`. */
  exceeded?: 'requests' | 'tokens';
  retryAfterMs: number;
  requests?: BucketState;
  tokens?: BucketState;
}

export interface RateLimiter {
  readonly enabled: boolean;
  /** Takes one request and `inputTokens` from the key's buckets for `model`, or refuses. */
  admit(key: string, model: string, inputTokens: number): RateDecision;
  /** Takes the output tokens once known; the bucket may go below zero, delaying later requests. */
  spend(key: string, model: string, outputTokens: number): void;
  reset(): void;
}

interface Bucket {
  capacity: number;
  level: number;
  perMs: number;
  updatedAt: number;
}

/**
 * Token buckets per API key and model, refilled continuously (`rpm`/60 000 per ms): a full
 * bucket allows a burst of `rpm` requests, as the providers' limits do.
 *
 * @example
 * const limiter = createRateLimiter({ rpm: 2 }, Date.now);
 * limiter.admit('key', 'gpt-4o', 10).allowed; // true, true, then false
 */
export function createRateLimiter(limits: RateLimits | undefined, now: () => number): RateLimiter {
  const buckets = new Map<string, { requests?: Bucket; tokens?: Bucket }>();
  const enabled = limits !== undefined && Object.keys(limits).length > 0;
  const configFor = (model: string): RateLimitConfig | undefined => {
    if (!limits) return undefined;
    if (typeof limits.rpm === 'number' || typeof limits.tpm === 'number') return limits as RateLimitConfig;
    const byModel = limits as Record<string, RateLimitConfig>;
    return byModel[model] ?? byModel['*'];
  };
  const bucketsFor = (key: string, model: string) => {
    const id = `${key}\u0000${model}`;
    let entry = buckets.get(id);
    if (entry === undefined) {
      const config = configFor(model);
      const at = now();
      entry = {
        requests: config?.rpm
          ? { capacity: config.rpm, level: config.rpm, perMs: config.rpm / 60_000, updatedAt: at }
          : undefined,
        tokens: config?.tpm
          ? { capacity: config.tpm, level: config.tpm, perMs: config.tpm / 60_000, updatedAt: at }
          : undefined,
      };
      buckets.set(id, entry);
    }
    return entry;
  };
  return {
    enabled,
    admit(key, model, inputTokens) {
      const entry = bucketsFor(key, model);
      const at = now();
      if (entry.requests) refill(entry.requests, at);
      if (entry.tokens) refill(entry.tokens, at);
      let exceeded: 'requests' | 'tokens' | undefined;
      let retryAfterMs = 0;
      if (entry.requests && entry.requests.level < 1) {
        exceeded = 'requests';
        retryAfterMs = (1 - entry.requests.level) / entry.requests.perMs;
      } else if (entry.tokens && entry.tokens.level < Math.min(inputTokens, entry.tokens.capacity)) {
        // A prompt larger than the whole bucket waits for a full bucket rather than failing forever.
        exceeded = 'tokens';
        retryAfterMs =
          (Math.min(inputTokens, entry.tokens.capacity) - entry.tokens.level) / entry.tokens.perMs;
      }
      if (exceeded === undefined) {
        if (entry.requests) entry.requests.level -= 1;
        if (entry.tokens) entry.tokens.level -= inputTokens;
      }
      return {
        allowed: exceeded === undefined,
        exceeded,
        retryAfterMs: Math.ceil(retryAfterMs),
        requests: entry.requests && state(entry.requests),
        tokens: entry.tokens && state(entry.tokens),
      };
    },
    spend(key, model, outputTokens) {
      const entry = bucketsFor(key, model);
      if (entry.tokens) {
        refill(entry.tokens, now());
        entry.tokens.level -= outputTokens;
      }
    },
    reset() {
      buckets.clear();
    },
  };
}

function refill(bucket: Bucket, at: number): void {
  if (at > bucket.updatedAt) {
    bucket.level = Math.min(bucket.capacity, bucket.level + (at - bucket.updatedAt) * bucket.perMs);
    bucket.updatedAt = at;
  }
}

function state(bucket: Bucket): BucketState {
  return {
    limit: bucket.capacity,
    remaining: Math.max(0, Math.floor(bucket.level)),
    resetMs: Math.ceil((bucket.capacity - bucket.level) / bucket.perMs),
  };
}
