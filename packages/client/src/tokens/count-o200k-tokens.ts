import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The split regex alone (a few lines); the library's encoder module would load its rank table.
import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';
import { type BpeRankTable, parseTiktokenRanks } from './bpe-rank-table.ts';
import { bytePairMerge } from './byte-pair-merge.ts';

// Bounded by the characters of its keys, not by entries: an eval or a batch sends thousands of
// distinct prompts that never recur, and each key may be a slice that keeps its whole rendered
// template alive, so an entry cap let the cache grow by tens of MB before it cleared.
const MAX_CACHED_CHARS = 1_000_000;
const cache = new Map<string, number>();
let cachedChars = 0;

let table: BpeRankTable | undefined;
const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);

/**
 * The o200k ranks, read on first use from the `.tiktoken` file gpt-tokenizer ships: a process
 * that never counts OpenAI tokens never loads them.
 */
function o200kTable(): BpeRankTable {
  table ??= parseTiktokenRanks(
    readFileSync(fileURLToPath(import.meta.resolve('gpt-tokenizer/data/o200k_base.tiktoken'))),
  );
  return table;
}

/** Token ids of `text` in o200k_base, special-token text encoded as plain text. */
export function encodeO200k(text: string): number[] {
  const ranks = o200kTable();
  const tokens: number[] = [];
  for (const [piece] of text.matchAll(O200K_TOKEN_SPLIT_REGEX)) {
    if (scratch.length < piece.length * 3) scratch = new Uint8Array(piece.length * 3);
    const { written } = encoder.encodeInto(piece, scratch);
    for (const token of bytePairMerge(ranks, scratch, written)) tokens.push(token);
  }
  return tokens;
}

/**
 * o200k token count (GPT-4o, GPT-4.1, GPT-5.x), exact: the same split and byte-pair merges as
 * tiktoken and gpt-tokenizer. `<|endoftext|>` typed by a user is ordinary text to the API, never
 * a control token, so no special tokens are recognised. Repeated strings (roles, system prompts,
 * tool schemas) are served from a bounded cache: they recur on every call of an app.
 *
 * @example
 * countO200kTokens('hello world') // 2
 */
export function countO200kTokens(text: string): number {
  if (text.length === 0) return 0;
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const count = encodeO200k(text).length;
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
