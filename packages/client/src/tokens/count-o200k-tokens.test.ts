import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { countO200kTokens, o200kCacheStats } from './count-o200k-tokens.ts';

describe('countO200kTokens', () => {
  it('counts like the tokenizer, cached or not', () => {
    const text = 'The Licensee shall indemnify the Licensor against all claims.';
    const expected = countTokens(text);
    expect(countO200kTokens(text)).toBe(expected);
    expect(countO200kTokens(text)).toBe(expected);
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
