import type { BpeRankTable } from './bpe-rank-table.ts';

const NONE = Number.MAX_SAFE_INTEGER;

/**
 * Splits one pre-tokenized piece (`bytes[0, length)`) into tokens the way tiktoken does: start
 * from single bytes and repeatedly merge the adjacent pair whose concatenation has the lowest
 * rank (the leftmost on a tie) until no pair is a token. Returns the token ids.
 *
 * The algorithm of tiktoken's `_byte_pair_merge` (and gpt-tokenizer's `bytePairMerge`), over a
 * `BpeRankTable`; quadratic in the piece length like theirs, and pieces are short (the split
 * regex cuts text into words, numbers of up to three digits and runs of punctuation or space).
 *
 * @example
 * const bytes = new TextEncoder().encode(' indemnify');
 * bytePairMerge(table, bytes, bytes.length); // [189933, 1565] in o200k_base
 */
export function bytePairMerge(table: BpeRankTable, bytes: Uint8Array, length: number): number[] {
  const whole = table.rank(bytes, 0, length);
  if (whole !== -1) return [whole];
  // starts[i] is where part i begins; ranks[i] the rank of parts i and i + 1 merged.
  const starts: number[] = [];
  const ranks: number[] = [];
  for (let index = 0; index <= length; index++) {
    starts.push(index);
    ranks.push(index + 2 <= length ? rankOrNone(table, bytes, index, index + 2) : NONE);
  }
  const pairRank = (part: number) =>
    part + 2 < starts.length ? rankOrNone(table, bytes, starts[part]!, starts[part + 2]!) : NONE;
  for (;;) {
    let lowest = NONE;
    let at = -1;
    for (let part = 0; part < ranks.length - 1; part++) {
      if (ranks[part]! < lowest) {
        lowest = ranks[part]!;
        at = part;
      }
    }
    if (at === -1) break;
    starts.splice(at + 1, 1);
    ranks.splice(at, 1);
    ranks[at] = pairRank(at);
    if (at > 0) ranks[at - 1] = pairRank(at - 1);
  }
  const tokens: number[] = [];
  for (let part = 0; part < starts.length - 1; part++) {
    const rank = table.rank(bytes, starts[part]!, starts[part + 1]!);
    // Every single byte is a token in the encodings this serves, so a part is always one.
    if (rank === -1) throw new Error('byte-pair merge produced a part that is not a token');
    tokens.push(rank);
  }
  return tokens;
}

function rankOrNone(table: BpeRankTable, bytes: Uint8Array, start: number, end: number): number {
  const rank = table.rank(bytes, start, end);
  return rank === -1 ? NONE : rank;
}
