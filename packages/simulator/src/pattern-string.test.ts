import { describe, expect, it } from 'vitest';
import { patternString } from './pattern-string.ts';

describe('patternString', () => {
  it.each([
    '^[A-Z]{3}-\\d{4}$',
    '^(?:[a-z]+\\.)*[a-z]+@example\\.(com|org)$',
    '^\\+?[0-9]{7,12}$',
    '^[^@\\s]+@[^@\\s]+$',
    '^#[0-9a-fA-F]{6}$',
    'v\\d+\\.\\d+',
    '^(?=.*\\d)[a-z0-9]{8}$',
  ])('produces a match for %s', (pattern) => {
    const sample = patternString(pattern);
    expect(sample).toBeDefined();
    expect(new RegExp(pattern, 'u').test(sample as string)).toBe(true);
  });

  it('gives up on what it cannot satisfy instead of lying', () => {
    expect(patternString('^(a)\\1$')).toBeUndefined();
    expect(patternString('(')).toBeUndefined();
  });
});
