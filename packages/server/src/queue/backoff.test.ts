import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';

describe('retryDelayMs', () => {
  it('doubles per attempt with equal jitter, up to the cap', () => {
    const low = { random: () => 0, initialDelayMs: 100, maxDelayMs: 1_000 };
    const high = { ...low, random: () => 1 };
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, low))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, high))).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
  });
});
