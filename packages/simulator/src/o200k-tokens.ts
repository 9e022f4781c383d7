import { countTokens, decode, encode } from 'gpt-tokenizer/encoding/o200k_base';

// Special-token text such as `<|endoftext|>` is ordinary text to the API, never a control token.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const MAX_CACHED_COUNTS = 20_000;
const counts = new Map<string, number>();
const MAX_CACHED_TOKENS = 4_000_000;
const encodings = new Map<string, number[]>();
let cachedTokenTotal = 0;

/**
 * Counts `text` with the o200k encoding that GPT-4o, GPT-4.1 and GPT-5.x use. Repeated strings
 * (system prompts, tool schemas, benchmark bodies) are served from a bounded cache.
 *
 * @example
 * countO200kTokens('hello world'); // 2
 */
export function countO200kTokens(text: string): number {
  if (text.length === 0) return 0;
  const cached = counts.get(text);
  if (cached !== undefined) return cached;
  const count = countTokens(text, PLAIN_TEXT);
  if (counts.size >= MAX_CACHED_COUNTS) counts.clear();
  counts.set(text, count);
  return count;
}

/** Token ids of `text` (o200k); cached, since prompt-cache matching re-encodes repeated prefixes. */
export function encodeO200k(text: string): number[] {
  const cached = encodings.get(text);
  if (cached !== undefined) return cached;
  const tokens = encode(text, PLAIN_TEXT);
  if (cachedTokenTotal + tokens.length > MAX_CACHED_TOKENS) {
    encodings.clear();
    cachedTokenTotal = 0;
  }
  encodings.set(text, tokens);
  cachedTokenTotal += tokens.length;
  return tokens;
}

/** The longest prefix of `text` that is at most `maxTokens` o200k tokens. */
export function truncateO200k(text: string, maxTokens: number): string {
  const tokens = encode(text, PLAIN_TEXT);
  if (tokens.length <= maxTokens) return text;
  return decode(tokens.slice(0, maxTokens));
}
