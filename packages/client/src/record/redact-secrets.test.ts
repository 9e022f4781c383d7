import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep } from './redact-secrets.ts';

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

  it('redacts a secret or key that is the whole text, at the shortest length each can have', () => {
    expect(createRedactor(['abcdef'])('abcdef')).toBe('[REDACTED]');
    expect(createRedactor(['abcdef', 'longer-secret'])('abcdef')).toBe('[REDACTED]');
    expect(createRedactor()('sk-ant-abcdefgh')).toBe('[REDACTED]');
    expect(createRedactor()('x-api-key:abcdefgh')).toBe('x-api-key:[REDACTED]');
    expect(createRedactor()('sk-abcdefghijklmnop')).toBe('[REDACTED]');
    expect(createRedactor()('sk-ant-abcdefg')).toBe('sk-ant-abcdefg');
    expect(createRedactor(['abcdefg'])('abcdef')).toBe('abcdef');
  });
});

describe('redactDeep', () => {
  it('copies arrays and objects with every string redacted, leaving the input as it was', () => {
    const redact = createRedactor(['configured-secret']);
    const value = {
      text: 'my configured-secret',
      list: ['a', 'configured-secret', 3, null],
      nested: { ok: true },
    };
    expect(redactDeep(value, redact)).toEqual({
      text: 'my [REDACTED]',
      list: ['a', '[REDACTED]', 3, null],
      nested: { ok: true },
    });
    expect(value.text).toBe('my configured-secret');
  });

  it('keeps a parsed "__proto__" key as data instead of setting the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": "configured-secret"}, "a": 1}') as object;
    const copy = redactDeep(value, createRedactor(['configured-secret'])) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":"[REDACTED]"},"a":1}');
  });
});
