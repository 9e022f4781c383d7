import { describe, expect, it } from 'vitest';
import { INVALID_BYTE_MARK, normalizeUtf8 } from './normalize-utf8.ts';

async function normalize(chunks: Uint8Array[]): Promise<string> {
  async function* source() {
    yield* chunks;
  }
  const out: Buffer[] = [];
  for await (const chunk of normalizeUtf8(source())) out.push(chunk);
  return Buffer.concat(out).toString('utf8');
}

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

describe('normalizeUtf8', () => {
  it('passes valid UTF-8 through unchanged, even when a character is split across chunks', async () => {
    const text = Buffer.from('naïve – 日本 😀');
    const pieces = [...text].map((byte) => bytes(byte)); // one byte per chunk
    expect(await normalize(pieces)).toBe('naïve – 日本 😀');
  });

  it('drops a UTF-8 byte-order mark', async () => {
    expect(await normalize([bytes(0xef, 0xbb), bytes(0xbf, 0x61, 0x62)])).toBe('ab');
  });

  it('transcodes UTF-16LE and UTF-16BE files that start with a byte-order mark', async () => {
    const little = Buffer.concat([bytes(0xff, 0xfe), Buffer.from('a,é\n', 'utf16le')]);
    expect(await normalize([little.subarray(0, 3), little.subarray(3)])).toBe('a,é\n');
    const big = Buffer.from('a,é\n', 'utf16le').swap16();
    expect(await normalize([Buffer.concat([bytes(0xfe, 0xff), big])])).toBe('a,é\n');
  });

  it('marks each invalid byte instead of guessing', async () => {
    // 0xE9 is Latin-1 "é": not UTF-8 on its own; 0xC3 at the very end is a cut-off sequence.
    const out = await normalize([bytes(0x63, 0x61, 0x66, 0xe9, 0x2c, 0x78), bytes(0xc3)]);
    expect(out).toBe(`caf${INVALID_BYTE_MARK},x${INVALID_BYTE_MARK}`);
  });

  it('rejects overlong encodings and surrogates', async () => {
    const out = await normalize([bytes(0xc0, 0xaf, 0x41, 0xed, 0xa0, 0x80)]);
    expect(out.replaceAll(INVALID_BYTE_MARK, '?')).toBe('??A???');
  });

  it('handles a file shorter than a byte-order mark', async () => {
    expect(await normalize([bytes(0x61)])).toBe('a');
    expect(await normalize([])).toBe('');
  });
});
