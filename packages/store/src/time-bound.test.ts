import { describe, expect, it } from 'vitest';
import { parseTimeBound } from './time-bound.ts';

const now = new Date('2025-06-01T12:00:00.000Z');

describe('parseTimeBound', () => {
  it('reads durations back from now', () => {
    expect(parseTimeBound('30s', now)?.toISOString()).toBe('2025-06-01T11:59:30.000Z');
    expect(parseTimeBound('15m', now)?.toISOString()).toBe('2025-06-01T11:45:00.000Z');
    expect(parseTimeBound('1h', now)?.toISOString()).toBe('2025-06-01T11:00:00.000Z');
    expect(parseTimeBound('7d', now)?.toISOString()).toBe('2025-05-25T12:00:00.000Z');
    expect(parseTimeBound('2w', now)?.toISOString()).toBe('2025-05-18T12:00:00.000Z');
    expect(parseTimeBound('1.5h', now)?.toISOString()).toBe('2025-06-01T10:30:00.000Z');
  });

  it('reads ISO dates and times, and refuses the rest', () => {
    expect(parseTimeBound('2025-01-02', now)?.toISOString()).toBe('2025-01-02T00:00:00.000Z');
    expect(parseTimeBound('2025-01-02T03:04:05+02:00', now)?.toISOString()).toBe('2025-01-02T01:04:05.000Z');
    expect(parseTimeBound(now)).toBe(now);
    for (const bad of ['yesterday', '1y', '', '12', '2025-13-45'])
      expect(parseTimeBound(bad, now)).toBeUndefined();
  });
});
