import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuidv7.ts';

describe('uuidv7', () => {
  it('is a version-7, variant-1 UUID carrying the timestamp, unique across pool refills', () => {
    const now = Date.parse('2025-06-01T12:00:00.000Z');
    const ids = Array.from({ length: 1000 }, () => uuidv7(now));
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
    }
    expect(new Set(ids).size).toBe(1000);
  });

  it('sorts by time', () => {
    expect(uuidv7(1_000) < uuidv7(2_000)).toBe(true);
  });
});
