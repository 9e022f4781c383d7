import type { Usage } from '../record/call-record.ts';

/**
 * Totals for one slice of traffic (a model, a user, a trace, a tag, or everything).
 *
 * @example
 * client.meter.snapshot().byUser['u-42']?.costUsd
 */
export type MeterTotals = {
  costUsd: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** Distinct calls (a call's retries and re-asks count once). */
  calls: number;
  /** Billed provider requests. */
  attempts: number;
  /** Attempts whose model has no known price: their cost is missing from `costUsd`. */
  unpricedAttempts: number;
};

/**
 * The meter's prompt-cache report.
 *
 * @example
 * const { hitRate, savedUsd } = client.meter.snapshot().cache;
 */
export type CacheReport = {
  /** Share of input tokens read from cache, 0…1. */
  hitRate: number;
  tokensRead: number;
  tokensWritten: number;
  /** USD saved by cache reads, net of the cache-write surcharge, vs the same calls uncached. */
  savedUsd: number;
  /** Mean time to first token of attempts that read from cache / that did not. */
  ttftCachedMs: number | null;
  ttftUncachedMs: number | null;
};

/**
 * `client.meter.snapshot()`: totals plus breakdowns by model, user, trace and tag.
 *
 * @example
 * const { costUsd, byModel } = client.meter.snapshot();
 */
export type MeterSnapshot = MeterTotals & {
  byModel: Record<string, MeterTotals>;
  byUser: Record<string, MeterTotals>;
  byTrace: Record<string, MeterTotals>;
  byTag: Record<string, MeterTotals>;
  cache: CacheReport;
};

/**
 * One billed attempt, as the call pipeline reports it.
 *
 * @example
 * meter.record({ model: 'openai/gpt-4o', attempt: 1, usage, costUsd: 0.01, savedUsd: 0, ttftMs: 420 });
 */
export type MeterEntry = {
  model: string;
  attempt: number;
  usage: Usage;
  costUsd: number | null;
  savedUsd: number | null;
  ttftMs: number | null;
  userId?: string | undefined;
  /** Set when the caller gave one (`metadata.traceId`); `byTrace` groups only those. */
  traceId?: string | undefined;
  tags?: string[] | undefined;
};

/**
 * The running cost meter. `record` is called exactly once per attempt by the call pipeline, so
 * nothing is counted twice and failed attempts that were billed are counted too.
 *
 * @example
 * const { costUsd, byUser, cache } = client.meter.snapshot();
 * console.log(`spent $${costUsd}; cache hit rate ${(cache.hitRate * 100).toFixed(0)}%`);
 */
export type Meter = {
  snapshot(): MeterSnapshot;
  reset(): void;
  record(entry: MeterEntry): void;
};

// Costs add up in integer pico-USD, so a sum of exact decimals stays exact.
const PICO = 1e12;
const MAX_TRACES = 10_000;

type Bucket = Omit<MeterTotals, 'costUsd'> & { picoUsd: number };

function emptyBucket(): Bucket {
  return {
    picoUsd: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    calls: 0,
    attempts: 0,
    unpricedAttempts: 0,
  };
}

function add(bucket: Bucket, entry: MeterEntry, pico: number): void {
  bucket.picoUsd += pico;
  bucket.inputTokens += entry.usage.inputTokens;
  bucket.cachedInputTokens += entry.usage.cachedInputTokens;
  bucket.cacheWriteTokens += entry.usage.cacheWriteTokens;
  bucket.outputTokens += entry.usage.outputTokens;
  bucket.reasoningTokens += entry.usage.reasoningTokens;
  bucket.attempts += 1;
  if (entry.attempt === 1) bucket.calls += 1;
  if (entry.costUsd === null) bucket.unpricedAttempts += 1;
}

/** The map without its `count` oldest entries (by insertion order), without an array of all of them. */
function dropOldest(map: Map<string, Bucket>, count: number): Map<string, Bucket> {
  const kept = new Map<string, Bucket>();
  let skip = count;
  for (const [key, bucket] of map) {
    if (skip > 0) skip--;
    else kept.set(key, bucket);
  }
  return kept;
}

function totals(bucket: Bucket): MeterTotals {
  const { picoUsd, ...rest } = bucket;
  return { costUsd: picoUsd / PICO, ...rest };
}

function table(map: Map<string, Bucket>): Record<string, MeterTotals> {
  const result: Record<string, MeterTotals> = {};
  for (const [key, bucket] of map) result[key] = totals(bucket);
  return result;
}

/**
 * Creates an empty meter. Traces are kept for the most recent 5,000–10,000 trace ids.
 *
 * @example
 * const meter = createMeter();
 */
export function createMeter(): Meter {
  let all = emptyBucket();
  let byModel = new Map<string, Bucket>();
  let byUser = new Map<string, Bucket>();
  let byTrace = new Map<string, Bucket>();
  let byTag = new Map<string, Bucket>();
  let savedPico = 0;
  const ttft = { cachedSum: 0, cachedCount: 0, uncachedSum: 0, uncachedCount: 0 };

  const bucketOf = (map: Map<string, Bucket>, key: string): Bucket => {
    let bucket = map.get(key);
    if (bucket === undefined) {
      bucket = emptyBucket();
      map.set(key, bucket);
    }
    return bucket;
  };

  return {
    record(entry) {
      const pico = entry.costUsd === null ? 0 : Math.round(entry.costUsd * PICO);
      add(all, entry, pico);
      add(bucketOf(byModel, entry.model), entry, pico);
      if (entry.userId !== undefined) add(bucketOf(byUser, entry.userId), entry, pico);
      if (entry.traceId !== undefined) {
        if (byTrace.size >= MAX_TRACES && !byTrace.has(entry.traceId)) {
          // Keep the newest half. (Deleting the oldest key one at a time is O(n) per call in V8:
          // iteration from the front walks the deleted slots.)
          byTrace = dropOldest(byTrace, MAX_TRACES / 2);
        }
        add(bucketOf(byTrace, entry.traceId), entry, pico);
      }
      const tags = entry.tags;
      // Each distinct tag once; most calls have none or one, which need no `Set`.
      if (tags !== undefined && tags.length === 1) add(bucketOf(byTag, tags[0]!), entry, pico);
      else if (tags !== undefined && tags.length > 1)
        for (const tag of new Set(tags)) add(bucketOf(byTag, tag), entry, pico);
      if (entry.savedUsd !== null) savedPico += Math.round(entry.savedUsd * PICO);
      if (entry.ttftMs !== null) {
        if (entry.usage.cachedInputTokens > 0) {
          ttft.cachedSum += entry.ttftMs;
          ttft.cachedCount += 1;
        } else {
          ttft.uncachedSum += entry.ttftMs;
          ttft.uncachedCount += 1;
        }
      }
    },
    snapshot() {
      return {
        ...totals(all),
        byModel: table(byModel),
        byUser: table(byUser),
        byTrace: table(byTrace),
        byTag: table(byTag),
        cache: {
          hitRate: all.inputTokens === 0 ? 0 : all.cachedInputTokens / all.inputTokens,
          tokensRead: all.cachedInputTokens,
          tokensWritten: all.cacheWriteTokens,
          savedUsd: savedPico / PICO,
          ttftCachedMs: ttft.cachedCount === 0 ? null : ttft.cachedSum / ttft.cachedCount,
          ttftUncachedMs: ttft.uncachedCount === 0 ? null : ttft.uncachedSum / ttft.uncachedCount,
        },
      };
    },
    reset() {
      all = emptyBucket();
      byModel = new Map();
      byUser = new Map();
      byTrace = new Map();
      byTag = new Map();
      savedPico = 0;
      ttft.cachedSum = ttft.cachedCount = ttft.uncachedSum = ttft.uncachedCount = 0;
    },
  };
}
