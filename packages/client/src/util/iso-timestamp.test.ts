import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp.ts';

describe('isoTimestamp', () => {
  it('formats every time as Date#toISOString does', () => {
    const times = [
      0,
      -0,
      1,
      999,
      1000,
      -1,
      -999,
      -1000,
      -1001,
      0.9,
      -0.5,
      -1.5,
      1_764_146_790_007,
      1_764_146_790_007.75,
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1, 0, 0, 0, 0),
      -62_198_755_200_000, // year -1: extended format
      253_402_300_800_000, // year 10000: extended format
      8.64e15,
      -8.64e15,
    ];
    for (let index = 0; index < 2000; index++) times.push(1_764_146_790_000 + index * 0.7);
    for (const time of times) expect(isoTimestamp(time), String(time)).toBe(new Date(time).toISOString());
  });

  it('throws the RangeError of Date#toISOString for an invalid time', () => {
    for (const time of [Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, -8.64e15 - 1]) {
      expect(() => isoTimestamp(time)).toThrow(RangeError);
    }
  });
});
