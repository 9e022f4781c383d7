/** Counters for one API key or one model. */
export interface StatsBucket {
  /** Generation requests (chat completions and messages). */
  requests: number;
  /** Billed input tokens, including cache reads and cache writes. */
  inputTokens: number;
  outputTokens: number;
  /** Billed input tokens read from a prompt cache. */
  cachedInputTokens: number;
  /** Billed input tokens written to a prompt cache. */
  cacheWriteTokens: number;
  /** Requests refused by the simulated rate limits. */
  rateLimited: number;
  /** Fault steps served, by step name (`429`, `cut`, …); `ok` is not counted. */
  faults: Record<string, number>;
}

/** `GET /_sim/stats` and `simulator.stats()`. */
export interface SimulatorStats extends StatsBucket {
  /** Every request to an API route, including models and count_tokens. */
  httpRequests: number;
  /** Responses by HTTP status (a reset or cut connection counts under its own name). */
  statuses: Record<string, number>;
  byKey: Record<string, StatsBucket>;
  byModel: Record<string, StatsBucket>;
}

/** The usage a response reported to its client: the billed amounts. */
export interface BilledUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
}

export interface StatsRecorder {
  httpRequest(): void;
  status(status: number | string): void;
  request(key: string, model: string): void;
  bill(key: string, model: string, usage: BilledUsage): void;
  fault(key: string, model: string, name: string): void;
  rateLimited(key: string, model: string): void;
  snapshot(): SimulatorStats;
  reset(): void;
}

function emptyBucket(): StatsBucket {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    rateLimited: 0,
    faults: {},
  };
}

/**
 * Counts what the simulator served. Billed tokens are the usage reported to the client: a whole
 * non-streaming body, or a stream up to its usage chunk (OpenAI's `include_usage` chunk,
 * Anthropic's `message_delta`); a stream cut before that bills nothing.
 *
 * @example
 * const stats = createStats();
 * stats.bill('key', 'gpt-4o', { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0 });
 * stats.snapshot().byModel['gpt-4o'].outputTokens; // 5
 */
export function createStats(): StatsRecorder {
  let total = emptyBucket();
  let httpRequests = 0;
  let statuses: Record<string, number> = {};
  let byKey = new Map<string, StatsBucket>();
  let byModel = new Map<string, StatsBucket>();
  const buckets = (key: string, model: string): [StatsBucket, StatsBucket, StatsBucket] => {
    let keyBucket = byKey.get(key);
    if (keyBucket === undefined) {
      keyBucket = emptyBucket();
      byKey.set(key, keyBucket);
    }
    let modelBucket = byModel.get(model);
    if (modelBucket === undefined) {
      modelBucket = emptyBucket();
      byModel.set(model, modelBucket);
    }
    return [total, keyBucket, modelBucket];
  };
  return {
    httpRequest() {
      httpRequests++;
    },
    status(status) {
      statuses[status] = (statuses[status] ?? 0) + 1;
    },
    request(key, model) {
      for (const bucket of buckets(key, model)) bucket.requests++;
    },
    bill(key, model, usage) {
      for (const bucket of buckets(key, model)) {
        bucket.inputTokens += usage.inputTokens;
        bucket.outputTokens += usage.outputTokens;
        bucket.cachedInputTokens += usage.cachedInputTokens;
        bucket.cacheWriteTokens += usage.cacheWriteTokens;
      }
    },
    fault(key, model, name) {
      for (const bucket of buckets(key, model)) bucket.faults[name] = (bucket.faults[name] ?? 0) + 1;
    },
    rateLimited(key, model) {
      for (const bucket of buckets(key, model)) bucket.rateLimited++;
    },
    snapshot() {
      return structuredClone({
        ...total,
        httpRequests,
        statuses,
        byKey: Object.fromEntries(byKey),
        byModel: Object.fromEntries(byModel),
      });
    },
    reset() {
      total = emptyBucket();
      httpRequests = 0;
      statuses = {};
      byKey = new Map();
      byModel = new Map();
    },
  };
}
