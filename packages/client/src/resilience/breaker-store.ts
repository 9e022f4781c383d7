/**
 * Breaker settings (`breaker` in the client config). Opens after `failureThreshold` consecutive
 * failures, or when at least `minimumRequests` outcomes in the last `windowMs` failed at a rate of
 * `failureRate` or more; after `cooldownMs` one probe request is let through (half-open): success
 * closes it, failure opens it again.
 */
export type BreakerConfig = {
  failureThreshold: number;
  failureRate: number;
  minimumRequests: number;
  windowMs: number;
  cooldownMs: number;
};

export const DEFAULT_BREAKER: BreakerConfig = {
  failureThreshold: 5,
  failureRate: 0.5,
  minimumRequests: 20,
  windowMs: 30_000,
  cooldownMs: 30_000,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What `client.health()` shows for one `provider/model`. */
export type BreakerStatus = {
  state: BreakerState;
  consecutiveFailures: number;
  /** Outcomes in the current window. */
  windowRequests: number;
  windowFailures: number;
  /** Monotonic ms when it last opened (`null` if never). */
  openedAt: number | null;
  /** ms until a probe is allowed (open only). */
  retryInMs: number | null;
};

/** `acquire`'s answer: go (a probe when half-open), or fail fast. */
export type BreakerPermit = { allowed: true; probe: boolean } | { allowed: false; retryInMs: number };

/** A state change, for logs. */
export type BreakerTransition = { from: BreakerState; to: BreakerState } | undefined;

type MaybePromise<T> = T | Promise<T>;

/**
 * Where breaker state lives. Each method is one atomic step of the state machine for one key
 * (`provider/model`), so a shared implementation (Redis: one Lua script per method over a hash
 * per key) gives every worker the same breaker. The in-memory store answers synchronously,
 * which keeps an open breaker's fail-fast path free of awaits.
 *
 * @example
 * const client = createClient({ breaker: { failureThreshold: 3, store: createMemoryBreakerStore() } });
 */
export type BreakerStore = {
  acquire(key: string, now: number, config: BreakerConfig): MaybePromise<BreakerPermit>;
  /** An outcome that proves the provider answers (success or a non-transient error). */
  onSuccess(key: string, now: number, config: BreakerConfig, probe: boolean): MaybePromise<BreakerTransition>;
  /** A transient failure (5xx, overloaded, reset, timeout). */
  onFailure(key: string, now: number, config: BreakerConfig, probe: boolean): MaybePromise<BreakerTransition>;
  /** A probe that ended without an outcome (aborted): let the next request probe. */
  release(key: string, probe: boolean): MaybePromise<void>;
  status(now: number, config: BreakerConfig): MaybePromise<Record<string, BreakerStatus>>;
};

const BUCKETS = 10;

type Entry = {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: number | null;
  probeStartedAt: number | null;
  /** Ring of per-slice [requests, failures]; slice = floor(now / (windowMs / BUCKETS)). */
  slices: Int32Array;
  sliceIds: Float64Array;
};

/**
 * The default store: a Map in this process.
 *
 * @example
 * const store = createMemoryBreakerStore();
 */
export function createMemoryBreakerStore(): BreakerStore {
  const entries = new Map<string, Entry>();
  const entry = (key: string): Entry => {
    let found = entries.get(key);
    if (found === undefined) {
      found = {
        state: 'closed',
        consecutiveFailures: 0,
        openedAt: null,
        probeStartedAt: null,
        slices: new Int32Array(BUCKETS * 2),
        sliceIds: new Float64Array(BUCKETS).fill(-1),
      };
      entries.set(key, found);
    }
    return found;
  };
  const count = (found: Entry, now: number, config: BreakerConfig, failed: boolean) => {
    const slice = Math.floor(now / (config.windowMs / BUCKETS));
    const index = slice % BUCKETS;
    if (found.sliceIds[index] !== slice) {
      found.sliceIds[index] = slice;
      found.slices[index * 2] = 0;
      found.slices[index * 2 + 1] = 0;
    }
    found.slices[index * 2]! += 1;
    if (failed) found.slices[index * 2 + 1]! += 1;
  };
  const windowTotals = (found: Entry, now: number, config: BreakerConfig) => {
    const current = Math.floor(now / (config.windowMs / BUCKETS));
    let requests = 0;
    let failures = 0;
    for (let index = 0; index < BUCKETS; index++) {
      const id = found.sliceIds[index]!;
      if (id >= 0 && current - id < BUCKETS) {
        requests += found.slices[index * 2]!;
        failures += found.slices[index * 2 + 1]!;
      }
    }
    return { requests, failures };
  };
  const open = (found: Entry, now: number): BreakerTransition => {
    const from = found.state;
    found.state = 'open';
    found.openedAt = now;
    found.probeStartedAt = null;
    found.slices.fill(0);
    found.sliceIds.fill(-1);
    return from === 'open' ? undefined : { from, to: 'open' };
  };
  return {
    acquire(key, now, config) {
      const found = entries.get(key);
      if (found === undefined || found.state === 'closed') return { allowed: true, probe: false };
      if (found.state === 'open') {
        const retryInMs = (found.openedAt ?? now) + config.cooldownMs - now;
        if (retryInMs > 0) return { allowed: false, retryInMs };
        found.state = 'half-open';
        found.probeStartedAt = now;
        return { allowed: true, probe: true };
      }
      // Half-open: one probe at a time; a probe that never reported is replaced after a cooldown.
      if (found.probeStartedAt === null || now - found.probeStartedAt >= config.cooldownMs) {
        found.probeStartedAt = now;
        return { allowed: true, probe: true };
      }
      return { allowed: false, retryInMs: found.probeStartedAt + config.cooldownMs - now };
    },
    onSuccess(key, now, config, probe) {
      const found = entry(key);
      found.consecutiveFailures = 0;
      if (found.state === 'half-open' && probe) {
        found.state = 'closed';
        found.probeStartedAt = null;
        return { from: 'half-open', to: 'closed' };
      }
      if (found.state === 'closed') count(found, now, config, false);
      return undefined;
    },
    onFailure(key, now, config, probe) {
      const found = entry(key);
      found.consecutiveFailures += 1;
      if (found.state === 'half-open') return probe ? open(found, now) : undefined;
      if (found.state === 'open') return undefined;
      count(found, now, config, true);
      if (found.consecutiveFailures >= config.failureThreshold) return open(found, now);
      const { requests, failures } = windowTotals(found, now, config);
      if (requests >= config.minimumRequests && failures / requests >= config.failureRate)
        return open(found, now);
      return undefined;
    },
    release(key, probe) {
      const found = entries.get(key);
      if (probe && found?.state === 'half-open') found.probeStartedAt = null;
    },
    status(now, config) {
      const result: Record<string, BreakerStatus> = {};
      for (const [key, found] of entries) {
        const { requests, failures } = windowTotals(found, now, config);
        result[key] = {
          state: found.state,
          consecutiveFailures: found.consecutiveFailures,
          windowRequests: requests,
          windowFailures: failures,
          openedAt: found.openedAt,
          retryInMs:
            found.state === 'open' ? Math.max(0, (found.openedAt ?? now) + config.cooldownMs - now) : null,
        };
      }
      return result;
    },
  };
}
