import { describe, expect, it } from 'vitest';
import type { PromptSegment } from './estimate-anthropic-tokens.ts';
import { createPromptCache } from './prompt-cache.ts';

const tokens = (count: number, salt = 0) =>
  Array.from({ length: count }, (_, index) => (index * 31 + salt) % 50_000);

describe('OpenAI prompt cache', () => {
  it('caches from 1024 tokens in 128-token steps, per namespace', () => {
    const cache = createPromptCache(() => 0);
    expect(cache.openai('n', tokens(1000), 1000)).toEqual({ cachedTokens: 0, writtenTokens: 0 });
    expect(cache.openai('n', tokens(1300), 1000)).toEqual({ cachedTokens: 0, writtenTokens: 1280 });
    expect(cache.openai('n', tokens(1300), 1000)).toEqual({ cachedTokens: 1280, writtenTokens: 0 });
    expect(cache.openai('n', tokens(2000), 1000)).toEqual({ cachedTokens: 1280, writtenTokens: 1920 - 1280 });
    expect(cache.openai('other', tokens(1300), 1000).cachedTokens).toBe(0);
  });

  it('matches the longest shared prefix only', () => {
    const cache = createPromptCache(() => 0);
    cache.openai('n', tokens(3000), 1000);
    const diverging = [...tokens(1200), ...tokens(1800, 7)];
    expect(cache.openai('n', diverging, 1000).cachedTokens).toBe(1152);
    expect(cache.openai('n', tokens(3000, 1), 1000).cachedTokens).toBe(0);
  });

  it('expires entries ttl after their last use', () => {
    let now = 0;
    const cache = createPromptCache(() => now);
    cache.openai('n', tokens(1100), 1000);
    now = 999;
    expect(cache.openai('n', tokens(1100), 1000).cachedTokens).toBe(1024);
    now = 1998;
    expect(cache.openai('n', tokens(1100), 1000).cachedTokens).toBe(1024);
    now = 3000;
    expect(cache.openai('n', tokens(1100), 1000).cachedTokens).toBe(0);
  });
});

describe('Anthropic prompt cache', () => {
  const segment = (tokenCount: number, text: string, cacheTtl?: '5m' | '1h'): PromptSegment => ({
    tokens: tokenCount,
    text,
    cacheTtl,
  });

  it('writes at breakpoints that reach the minimum, then reads the longest cached prefix', () => {
    const cache = createPromptCache(() => 0);
    const segments = [segment(600, 'tools', '1h'), segment(900, 'system', '5m'), segment(50, 'question')];
    expect(cache.anthropic('n', segments, 1024)).toEqual({
      readTokens: 0,
      written5m: 1500,
      written1h: 0,
      uncachedTokens: 50,
    });
    expect(cache.anthropic('n', segments, 1024)).toEqual({
      readTokens: 1500,
      written5m: 0,
      written1h: 0,
      uncachedTokens: 50,
    });
    const lower = createPromptCache(() => 0);
    expect(lower.anthropic('n', segments, 500)).toEqual({
      readTokens: 0,
      written5m: 900,
      written1h: 600,
      uncachedTokens: 50,
    });
  });

  it('reads an earlier breakpoint when later content changed', () => {
    const cache = createPromptCache(() => 0);
    cache.anthropic(
      'n',
      [segment(2000, 'system', '5m'), segment(2000, 'turn one', '5m'), segment(10, 'q')],
      1024,
    );
    const changed = cache.anthropic(
      'n',
      [segment(2000, 'system', '5m'), segment(2000, 'turn two', '5m'), segment(10, 'q')],
      1024,
    );
    expect(changed).toEqual({ readTokens: 2000, written5m: 2000, written1h: 0, uncachedTokens: 10 });
  });

  it('expires 5m and 1h entries on the injected clock', () => {
    let now = 0;
    const cache = createPromptCache(() => now);
    const five = [segment(2000, 'a', '5m')];
    const hour = [segment(2000, 'b', '1h')];
    cache.anthropic('n', five, 1024);
    cache.anthropic('n', hour, 1024);
    now = 5 * 60_000 + 1;
    expect(cache.anthropic('n', five, 1024).readTokens).toBe(0);
    expect(cache.anthropic('n', hour, 1024).readTokens).toBe(2000);
  });
});
