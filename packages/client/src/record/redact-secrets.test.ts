import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact-secrets.ts';

describe('createRedactor', () => {
  it('redacts every key pattern in any case the pattern allows, behind the one-scan pre-check', () => {
    const redact = createRedactor();
    expect(redact('BEARER abcdefghijklmnopqrstuvwxyz')).toBe('BEARER [REDACTED]');
    expect(redact('X-Api-Key: abcdefgh1234')).toBe('X-Api-Key: [REDACTED]');
    expect(redact('{"x-api-key":"abcdefgh1234"}')).toBe('{"x-api-key":"[REDACTED]"}');
    expect(redact('a sk-ant-api03-abcdefgh b sk-proj-ABCDEFGHIJKLMNOPQRST')).toBe(
      'a [REDACTED] b [REDACTED]',
    );
  });

  it('leaves text without a key alone, and SK- (not a key prefix) too', () => {
    const redact = createRedactor(['configured-secret']);
    const text = 'SK-ABCDEFGHIJKLMNOPQRSTUVWX is a part number; bearer of good news.';
    expect(redact(text)).toBe(text);
    expect(redact(`${text} configured-secret`)).toBe(`${text} [REDACTED]`);
  });
});
