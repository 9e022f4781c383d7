import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { countTokens, encode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { countO200kTokens, encodeO200k, o200kCacheStats } from './count-o200k-tokens.ts';

// gpt-tokenizer as configured before: special-token text is plain text.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** The sample texts of gpt-tokenizer's compatibility plan (checked there against Python's tiktoken). */
function testPlanSamples(): string[] {
  const path = fileURLToPath(import.meta.resolve('gpt-tokenizer/data/TestPlans.txt'));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('Sample: '))
    .map((line) => line.slice('Sample: '.length));
}

/** Deterministic text mixing scripts, digits, emoji, whitespace runs and punctuation. */
function mixedText(seed: number, length: number): string {
  const alphabet = [
    ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    ...' \t\n\r  ',
    ...'.,;:!?\'"()[]{}<>/\\|-_=+*&^%$#@~`',
    ...'éèüßçñøåÆŒ',
    ...'жщыΩλπالعربيةहिन्दी中文日本語한국어',
    '😀',
    '🇪🇸',
    '👩‍💻',
    "'s",
    "'LL",
    '<|endoftext|>',
    '\u0301',
  ];
  let state = seed;
  let text = '';
  while (text.length < length) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    text += alphabet[state % alphabet.length];
  }
  return text;
}

describe('encodeO200k', () => {
  it('counts UTF-8 bytes as TextEncoder does: pairs are 4 bytes, lone surrogates U+FFFD', () => {
    const texts = ['a\ud83d', '\ud83d b', 'x\ude00y', '\udc00\ud800', '😀\ud83d😀', 'é中😀 \ud800z'];
    for (const text of texts) {
      expect(encodeO200k(text)).toEqual(encode(text, PLAIN_TEXT));
      expect(countO200kTokens(text)).toBe(countTokens(text, PLAIN_TEXT));
    }
  });

  it("gives gpt-tokenizer's o200k token ids for its whole test plan", () => {
    for (const sample of testPlanSamples()) {
      expect(encodeO200k(sample)).toEqual(encode(sample, PLAIN_TEXT));
      expect(countO200kTokens(sample)).toBe(countTokens(sample, PLAIN_TEXT));
    }
  });

  it('gives the same ids on mixed scripts, emoji, digits, whitespace runs and special-token text', () => {
    const texts = [
      '<|endoftext|> hello <|im_start|>user',
      '     \n\n\t  x\r\n\r\n   ',
      '1234567890123 and 3.14159 and 1,000,000',
      "They'll say it's the DOG'S bone; WE'VE",
      'ﬁ ÅÅ é\u0301 '.repeat(50),
      ' '.repeat(2_000),
      readFileSync(fileURLToPath(import.meta.url), 'utf8'),
      ...Array.from({ length: 40 }, (_, seed) => mixedText(seed + 1, 400)),
    ];
    for (const text of texts) {
      expect(encodeO200k(text)).toEqual(encode(text, PLAIN_TEXT));
      expect(countO200kTokens(text)).toBe(countTokens(text, PLAIN_TEXT));
    }
  });
});

describe('countO200kTokens', () => {
  it('counts like the tokenizer, cached or not', () => {
    const text = 'The Licensee shall indemnify the Licensor against all claims.';
    const expected = countTokens(text);
    expect(countO200kTokens(text)).toBe(expected);
    expect(countO200kTokens(text)).toBe(expected);
    expect(countO200kTokens('')).toBe(0);
  });

  it('bounds the cache by the characters its keys hold, however many distinct prompts pass', () => {
    for (let row = 0; row < 1_500; row++) {
      const prompt = `Row ${row}: ${'Summarize this contract clause about payment terms. '.repeat(40)}`;
      countO200kTokens(prompt);
      expect(o200kCacheStats().chars).toBeLessThanOrEqual(1_000_000);
    }
    expect(o200kCacheStats().entries).toBeGreaterThan(0);
  });

  it('does not cache a single text larger than a quarter of the bound', () => {
    const before = o200kCacheStats().chars;
    const huge = 'word '.repeat(60_000);
    expect(countO200kTokens(huge)).toBe(countTokens(huge));
    expect(o200kCacheStats().chars).toBe(before);
  });
});
