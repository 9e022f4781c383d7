import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

// `<|endoftext|>` typed by a user is ordinary text to the API, never a control token.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
// Bounded by the characters the keys hold, not by entries: an eval or a batch sends thousands of
// distinct prompts that never recur, and each key may be a slice that keeps its whole rendered
// template alive, so an entry cap let the cache grow by tens of MB before it cleared.
const MAX_CACHED_CHARS = 1_000_000;
const cache = new Map<string, number>();
let cachedChars = 0;

/**
 * o200k token count (GPT-4o, GPT-4.1, GPT-5.x). Repeated strings (roles, system prompts, tool
 * schemas) are served from a bounded cache: they recur on every call of an app.
 *
 * @example
 * countO200kTokens('hello world') // 2
 */
export function countO200kTokens(text: string): number {
  if (text.length === 0) return 0;
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const count = countTokens(text, PLAIN_TEXT);
  if (text.length > MAX_CACHED_CHARS / 4) return count;
  if (cachedChars + text.length > MAX_CACHED_CHARS) {
    cache.clear();
    cachedChars = 0;
  }
  cache.set(text, count);
  cachedChars += text.length;
  return count;
}

/** What the count cache holds now (for tests and diagnostics). */
export function o200kCacheStats(): { entries: number; chars: number } {
  return { entries: cache.size, chars: cachedChars };
}
