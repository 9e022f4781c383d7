import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuid-v7.ts';

describe('uuidv7', () => {
  it('has version 7, the RFC variant and the timestamp in front', () => {
    const id = uuidv7(0x0189_abcd_ef01);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.replace(/-/g, '').slice(0, 12)).toBe('0189abcdef01');
  });

  it('sorts in creation order, also within one millisecond and if the clock steps back', () => {
    const ids = [uuidv7(2_000_000_000_000), uuidv7(2_000_000_000_000), uuidv7(1_999_999_999_999)];
    ids.push(uuidv7(2_000_000_000_001));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
