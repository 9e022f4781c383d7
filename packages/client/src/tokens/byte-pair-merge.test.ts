import { describe, expect, it } from 'vitest';
import { parseTiktokenRanks } from './bpe-rank-table.ts';
import { bytePairMerge } from './byte-pair-merge.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const tableOf = (tokens: Record<string, number>) =>
  parseTiktokenRanks(
    bytes(
      Object.entries(tokens)
        .map(([token, rank]) => `${Buffer.from(token).toString('base64')} ${rank}`)
        .join('\n'),
    ),
  );
const merge = (table: ReturnType<typeof tableOf>, text: string) =>
  bytePairMerge(table, bytes(text), bytes(text).length);

describe('bytePairMerge', () => {
  it('answers a whole piece that is a token with its rank', () => {
    expect(merge(tableOf({ a: 0, b: 1, ab: 2 }), 'ab')).toEqual([2]);
  });

  it('merges the lowest-ranked pair first', () => {
    // "bc" (rank 3) merges before "ab" (4), so "abc" is a + bc; "cab" is c + ab.
    const table = tableOf({ a: 0, b: 1, c: 2, bc: 3, ab: 4 });
    expect(merge(table, 'abc')).toEqual([0, 3]);
    expect(merge(table, 'cab')).toEqual([2, 4]);
  });

  it('merges the leftmost pair on a tie, then keeps merging', () => {
    // "aa" twice in "aaa": the left pair merges, then "aaa" (rank 2) joins it with the last a.
    expect(merge(tableOf({ a: 0, aa: 1, aaa: 2 }), 'aaaa')).toEqual([1, 1]);
    expect(merge(tableOf({ a: 0, aa: 1, aaa: 2 }), 'aaa')).toEqual([2]);
    expect(merge(tableOf({ a: 0, aa: 1 }), 'aaa')).toEqual([1, 0]);
  });

  it('leaves single bytes when no pair is a token', () => {
    expect(merge(tableOf({ x: 0, y: 1 }), 'xyx')).toEqual([0, 1, 0]);
  });
});
