import { describe, expect, it } from 'vitest';
import { createLatencyProfile } from './latency-profile.ts';
import type { ModelSpec } from './model-table.ts';

const model: ModelSpec = {
  id: 'm',
  provider: 'openai',
  contextWindow: 1000,
  maxOutputTokens: 100,
  ttftMs: 1000,
  tokensPerSecond: 100,
};

describe('createLatencyProfile', () => {
  it('never waits in the instant profile', () => {
    const instant = createLatencyProfile('instant');
    expect(instant.timeToFirstTokenMs(model, 50_000, 0)).toBe(0);
    expect(instant.tokenIntervalMs(model)).toBe(0);
  });

  it('adds prompt processing to the median TTFT and scales every wait', () => {
    const realistic = createLatencyProfile('realistic');
    expect(realistic.timeToFirstTokenMs(model, 0, 0)).toBe(1000);
    expect(realistic.timeToFirstTokenMs(model, 20_000, 0)).toBe(2000);
    expect(realistic.tokenIntervalMs(model)).toBe(10);
    expect(createLatencyProfile('realistic', 0.5).tokenIntervalMs(model)).toBe(5);
  });

  it('cuts TTFT in proportion to the cached share, by at most 80%', () => {
    const realistic = createLatencyProfile('realistic');
    const uncached = realistic.timeToFirstTokenMs(model, 10_000, 0);
    const half = realistic.timeToFirstTokenMs(model, 10_000, 5_000);
    const full = realistic.timeToFirstTokenMs(model, 10_000, 10_000);
    expect(uncached).toBe(1500);
    expect(half).toBeCloseTo(1250 * 0.6);
    expect(full).toBeCloseTo(1000 * 0.2);
    expect(full / realistic.timeToFirstTokenMs(model, 10_000, 0)).toBeGreaterThanOrEqual(0.1);
  });
});
