import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

// `<|endoftext|>` typed by a user is ordinary text to the API, never a control token.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
const MAX_CACHED = 10_000;
const cache = new Map<string, number>();

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
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(text, count);
  return count;
}
