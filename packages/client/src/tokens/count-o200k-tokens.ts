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
let scratch = new Uint8Array(4096);
// The same pattern, sticky: `test` from a position says where the piece there ends without
// building a match array and a substring per piece (those were ~70 KB of garbage per 2 KB
// prompt, the largest allocation of an eval cell).
const PIECE = new RegExp(O200K_TOKEN_SPLIT_REGEX.source, 'uy');

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

/**
 * Encodes `text` to UTF-8 once, then walks its pre-tokenized pieces, calling `onPiece` with each
 * piece's byte range in the returned buffer. Piece byte lengths follow from the characters
 * (what `TextEncoder` does: 1–4 bytes a code point, a lone surrogate 3 bytes as U+FFFD).
 */
function forEachPiece(text: string, onPiece: (bytes: Uint8Array, start: number, end: number) => void): void {
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const bytes = scratch;
  encoder.encodeInto(text, bytes);
  let char = 0;
  let byte = 0;
  while (char < text.length) {
    PIECE.lastIndex = char;
    // The pattern's last alternatives match any run of whitespace or other characters, so
    // some piece starts at every position; a failure would be a new pattern, not new text.
    if (!PIECE.test(text) || PIECE.lastIndex === char)
      throw new Error(`o200k split found no piece at ${char}`);
    const end = PIECE.lastIndex;
    const start = byte;
    for (; char < end; char++) {
      const code = text.charCodeAt(char);
      if (code < 0x80) byte += 1;
      else if (code < 0x800) byte += 2;
      else if (code >= 0xd800 && code <= 0xdbff && char + 1 < end) {
        const next = text.charCodeAt(char + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          byte += 4;
          char++;
        } else byte += 3;
      } else byte += 3;
    }
    onPiece(bytes, start, byte);
  }
}

/** Token ids of `text` in o200k_base, special-token text encoded as plain text. */
export function encodeO200k(text: string): number[] {
  const ranks = o200kTable();
  const tokens: number[] = [];
  // bytePairMerge looks the whole piece up first itself.
  forEachPiece(text, (bytes, start, end) => {
    for (const token of bytePairMerge(ranks, bytes.subarray(start, end), end - start)) tokens.push(token);
  });
  return tokens;
}

/** The count of `encodeO200k(text)`, without building the ids: most pieces are one token. */
function countUncached(text: string): number {
  const ranks = o200kTable();
  let count = 0;
  forEachPiece(text, (bytes, start, end) => {
    count +=
      ranks.rank(bytes, start, end) !== -1
        ? 1
        : bytePairMerge(ranks, bytes.subarray(start, end), end - start).length;
  });
  return count;
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
  const count = countUncached(text);
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
