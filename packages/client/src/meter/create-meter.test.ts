import { describe, expect, it } from 'vitest';
import { createMeter } from './create-meter.ts';

const usage = (inputTokens: number, cachedInputTokens: number, outputTokens: number) => ({
  inputTokens,
  cachedInputTokens,
  cacheWriteTokens: 0,
  outputTokens,
  reasoningTokens: 0,
});

describe('createMeter', () => {
  it('adds exact decimals and breaks totals down by model, user, trace and tag', () => {
    const meter = createMeter();
    for (let index = 0; index < 10; index++) {
      meter.record({
        model: 'openai/gpt-4o',
        attempt: 1,
        usage: usage(100, 0, 10),
        costUsd: 0.1,
        savedUsd: 0,
        ttftMs: 100,
        userId: index % 2 === 0 ? 'even' : 'odd',
        traceId: 't1',
        tags: ['a', 'a', 'b'],
      });
    }
    const snapshot = meter.snapshot();
    expect(snapshot.costUsd).toBe(1); // 0.1 × 10 summed in floats would be 0.9999999999999999
    expect(snapshot.calls).toBe(10);
    expect(snapshot.byUser['even']!.costUsd).toBe(0.5);
    expect(snapshot.byTag['a']!.attempts).toBe(10);
    expect(snapshot.byTrace['t1']!.inputTokens).toBe(1000);
    expect(snapshot.byModel['openai/gpt-4o']!.outputTokens).toBe(100);
  });

  it('counts a lone tag, and no tag at all, in byTag as a call with those tags', () => {
    const meter = createMeter();
    const entry = { model: 'm', attempt: 1, usage: usage(10, 0, 1), costUsd: 0.5, savedUsd: 0, ttftMs: 1 };
    meter.record({ ...entry, tags: ['solo'] });
    meter.record({ ...entry, tags: [] });
    meter.record(entry);
    meter.record({ ...entry, tags: ['solo', 'pair', 'solo'] });
    const { byTag } = meter.snapshot();
    expect(Object.keys(byTag).sort()).toEqual(['pair', 'solo']);
    expect(byTag['solo']).toMatchObject({ calls: 2, attempts: 2, inputTokens: 20, costUsd: 1 });
    expect(byTag['pair']).toMatchObject({ calls: 1, attempts: 1, costUsd: 0.5 });
  });

  it('keeps the newest 5,000 traces when the 10,001st trace arrives', () => {
    const meter = createMeter();
    const entry = { model: 'm', attempt: 1, usage: usage(10, 0, 1), costUsd: 0, savedUsd: 0, ttftMs: 1 };
    for (let index = 0; index <= 10_000; index++) meter.record({ ...entry, traceId: `t${index}` });
    meter.record({ ...entry, traceId: 't9999' });
    const { byTrace } = meter.snapshot();
    expect(Object.keys(byTrace)).toHaveLength(5_001);
    expect(byTrace['t4999']).toBeUndefined();
    expect(byTrace['t5000']!.attempts).toBe(1);
    expect(byTrace['t9999']!.attempts).toBe(2);
    expect(byTrace['t10000']!.attempts).toBe(1);
    expect(Object.keys(byTrace)[0]).toBe('t5000');
  });

  it('counts retries as attempts of one call, reports unpriced attempts, and the cache', () => {
    const meter = createMeter();
    meter.record({
      model: 'm',
      attempt: 1,
      usage: usage(1000, 0, 5),
      costUsd: 0.01,
      savedUsd: 0,
      ttftMs: 800,
      traceId: 't',
    });
    meter.record({
      model: 'm',
      attempt: 2,
      usage: usage(1000, 900, 5),
      costUsd: 0.002,
      savedUsd: 0.008,
      ttftMs: 200,
      traceId: 't',
    });
    meter.record({
      model: 'x',
      attempt: 1,
      usage: usage(10, 0, 5),
      costUsd: null,
      savedUsd: null,
      ttftMs: null,
      traceId: 't',
    });
    const snapshot = meter.snapshot();
    expect(snapshot).toMatchObject({ calls: 2, attempts: 3, unpricedAttempts: 1, costUsd: 0.012 });
    expect(snapshot.cache).toEqual({
      hitRate: 900 / 2010,
      tokensRead: 900,
      tokensWritten: 0,
      savedUsd: 0.008,
      ttftCachedMs: 200,
      ttftUncachedMs: 800,
    });
    meter.reset();
    expect(meter.snapshot().attempts).toBe(0);
  });
});
