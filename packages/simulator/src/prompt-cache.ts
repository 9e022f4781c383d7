import type { PromptSegment } from './estimate-anthropic-tokens.ts';
import { hashString } from './hash-string.ts';

/** OpenAI's automatic caching: prefixes of at least 1024 tokens, matched in 128-token steps. */
export const OPENAI_CACHE_MINIMUM = 1024;
export const OPENAI_CACHE_INCREMENT = 128;
const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;
const MAX_ENTRIES = 500_000;

export interface OpenAICacheResult {
  cachedTokens: number;
  /** Tokens newly written to the cache by this request. */
  writtenTokens: number;
}

export interface AnthropicCacheResult {
  readTokens: number;
  written5m: number;
  written1h: number;
  /** Tokens after the last cached or written breakpoint: Anthropic's `input_tokens`. */
  uncachedTokens: number;
}

export interface PromptCache {
  openai(namespace: string, tokens: readonly number[], ttlMs: number): OpenAICacheResult;
  anthropic(
    namespace: string,
    segments: readonly PromptSegment[],
    minimumTokens: number,
  ): AnthropicCacheResult;
  reset(): void;
}

/**
 * Simulated prompt caches, keyed by a namespace (provider, API key and model) and a chained hash
 * of the prompt prefix. Entries expire `ttl` after their last use, read from the injected clock.
 *
 * @example
 * const cache = createPromptCache(Date.now);
 * cache.openai('openai|key|gpt-4o', tokens, 600_000); // { cachedTokens: 0, writtenTokens: 1536 }
 * cache.openai('openai|key|gpt-4o', tokens, 600_000); // { cachedTokens: 1536, writtenTokens: 0 }
 */
export function createPromptCache(now: () => number): PromptCache {
  const entries = new Map<string, { expiresAt: number; ttlMs: number }>();
  const live = (key: string, at: number): boolean => {
    const entry = entries.get(key);
    if (entry === undefined) return false;
    if (entry.expiresAt <= at) {
      entries.delete(key);
      return false;
    }
    entry.expiresAt = at + entry.ttlMs;
    return true;
  };
  const store = (key: string, ttlMs: number, at: number): void => {
    if (entries.size >= MAX_ENTRIES) sweep(entries, at);
    entries.set(key, { expiresAt: at + ttlMs, ttlMs });
  };
  return {
    openai(namespace, tokens, ttlMs) {
      if (tokens.length < OPENAI_CACHE_MINIMUM) return { cachedTokens: 0, writtenTokens: 0 };
      const at = now();
      const boundaries: string[] = [];
      let high = 0x811c9dc5;
      let low = 0x01000193;
      for (let index = 0; index < tokens.length; index++) {
        const token = tokens[index] as number;
        high = Math.imul(high ^ token, 0x01000193) >>> 0;
        low = Math.imul(low ^ (token + index), 0x5bd1e995) >>> 0;
        const length = index + 1;
        if (
          length >= OPENAI_CACHE_MINIMUM &&
          (length - OPENAI_CACHE_MINIMUM) % OPENAI_CACHE_INCREMENT === 0
        ) {
          boundaries.push(`${namespace}|${length}|${high.toString(36)}${low.toString(36)}`);
        }
      }
      let cachedIndex = -1;
      for (let index = boundaries.length - 1; index >= 0; index--) {
        if (live(boundaries[index] as string, at)) {
          cachedIndex = index;
          break;
        }
      }
      for (let index = cachedIndex + 1; index < boundaries.length; index++)
        store(boundaries[index] as string, ttlMs, at);
      const lengthAt = (index: number) =>
        index < 0 ? 0 : OPENAI_CACHE_MINIMUM + index * OPENAI_CACHE_INCREMENT;
      const cachedTokens = lengthAt(cachedIndex);
      return { cachedTokens, writtenTokens: lengthAt(boundaries.length - 1) - cachedTokens };
    },
    anthropic(namespace, segments, minimumTokens) {
      const at = now();
      let total = 0;
      let chain = 0x811c9dc5;
      const cumulative: number[] = [];
      const keys: string[] = [];
      let lastBreakpoint = -1;
      for (let index = 0; index < segments.length; index++) {
        const segment = segments[index] as PromptSegment;
        total += segment.tokens;
        cumulative.push(total);
        if (segment.cacheTtl !== undefined) lastBreakpoint = index;
        // Hashing is only needed up to the last breakpoint; later segments are never cached.
        keys.push('');
      }
      for (let index = 0; index <= lastBreakpoint; index++) {
        chain = hashString((segments[index] as PromptSegment).text, chain);
        keys[index] = `${namespace}|${index}|${cumulative[index]}|${chain.toString(36)}`;
      }
      let readIndex = -1;
      for (let index = lastBreakpoint; index >= 0; index--) {
        if (live(keys[index] as string, at)) {
          readIndex = index;
          break;
        }
      }
      const readTokens = readIndex < 0 ? 0 : (cumulative[readIndex] as number);
      let cachedUpTo = readTokens;
      let written5m = 0;
      let written1h = 0;
      for (let index = readIndex + 1; index <= lastBreakpoint; index++) {
        const ttl = (segments[index] as PromptSegment).cacheTtl;
        const length = cumulative[index] as number;
        if (ttl === undefined || length < minimumTokens) continue;
        store(keys[index] as string, TTL_MS[ttl], at);
        if (ttl === '1h') written1h += length - cachedUpTo;
        else written5m += length - cachedUpTo;
        cachedUpTo = length;
      }
      return { readTokens, written5m, written1h, uncachedTokens: total - cachedUpTo };
    },
    reset() {
      entries.clear();
    },
  };
}

function sweep(entries: Map<string, { expiresAt: number }>, at: number): void {
  for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  if (entries.size < MAX_ENTRIES) return;
  let excess = entries.size - MAX_ENTRIES / 2;
  for (const key of entries.keys()) {
    if (excess-- <= 0) break;
    entries.delete(key);
  }
}
