import { describe, expect, it } from 'vitest';
import { uuidv7Ids } from './ids.ts';

describe('uuidv7Ids', () => {
  it('mints RFC 9562 version 7 ids that sort by creation, also within one millisecond', () => {
    const ids = uuidv7Ids(() => 1_700_000_000_000);
    const minted = Array.from({ length: 5_000 }, () => ids.next());
    expect(minted[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...minted].sort()).toEqual(minted);
    expect(new Set(minted).size).toBe(minted.length);
  });

  it('puts the millisecond and the counter where RFC 9562 says, with fresh random bits in each id', () => {
    const ids = uuidv7Ids(() => 0x0123456789ab);
    const first = ids.next();
    const second = ids.next();
    expect(first.slice(0, 18)).toBe('01234567-89ab-7000');
    expect(second.slice(0, 18)).toBe('01234567-89ab-7001');
    expect(first.slice(20)).not.toBe(second.slice(20));
    // Enough ids to run through the random pool several times: none repeats.
    const many = new Set(Array.from({ length: 3_000 }, () => ids.next().slice(19)));
    expect(many.size).toBe(3_000);
  });
});
