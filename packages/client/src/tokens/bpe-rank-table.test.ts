import { describe, expect, it } from 'vitest';
import { parseTiktokenRanks } from './bpe-rank-table.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const line = (token: string | number[], rank: number) =>
  `${Buffer.from(typeof token === 'string' ? bytes(token) : token).toString('base64')} ${rank}`;

describe('parseTiktokenRanks', () => {
  const table = parseTiktokenRanks(
    bytes(
      [line('a', 0), line('b', 1), line('ab', 5), line([0xff, 0x00], 7), line('héllo', 9), ''].join('\n'),
    ),
  );

  it('finds each token by its bytes, anywhere in a buffer', () => {
    expect(table.size).toBe(5);
    expect(table.rank(bytes('a'), 0, 1)).toBe(0);
    expect(table.rank(bytes('xaby'), 1, 3)).toBe(5);
    expect(table.rank(new Uint8Array([1, 0xff, 0x00]), 1, 3)).toBe(7);
    expect(table.rank(bytes('héllo'), 0, bytes('héllo').length)).toBe(9);
  });

  it('answers -1 for bytes that are not a token, including a prefix of one', () => {
    expect(table.rank(bytes('ba'), 0, 2)).toBe(-1);
    expect(table.rank(bytes('hé'), 0, 3)).toBe(-1);
    expect(table.rank(bytes('c'), 0, 1)).toBe(-1);
  });

  it('refuses a line without a rank', () => {
    expect(() => parseTiktokenRanks(bytes('YQ==\n'))).toThrow(/tiktoken/);
    expect(() => parseTiktokenRanks(bytes('YQ== x\n'))).toThrow(/tiktoken/);
  });
});
