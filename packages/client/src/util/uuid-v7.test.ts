import { describe, expect, it } from 'vitest';
import { uuidv7, uuidv7Minter } from './uuid-v7.ts';

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

  it('puts every millisecond in front as 12 hex digits, whatever its digits', () => {
    // Each time above the last (run after the tests above): formatted anew, counter at 0.
    for (const time of [
      0x0300_0000_0000, 0x0300_0000_00ff, 0x0300_ff00_0000, 0x03ff_ffff_ffff, 0x0400_0000_0000,
      0x7fff_ffff_ffff,
    ]) {
      const id = uuidv7(time);
      expect(id.replace(/-/g, '').slice(0, 12), String(time)).toBe(time.toString(16).padStart(12, '0'));
      expect(id.slice(14, 18)).toBe('7000');
    }
  });

  it('stays well-formed, unique and ordered across refills of the random pool', () => {
    const ids = Array.from({ length: 3000 }, () => uuidv7(0x7fff_ffff_ffff));
    for (const id of ids) expect(id).toMatch(/^7fffffff-ffff-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('gives each minter its own clock state: an earlier clock elsewhere does not borrow its time', () => {
    uuidv7(0x7fff_ffff_ffff);
    const mint = uuidv7Minter();
    const first = mint(0x0123_4567_89ab);
    expect(first.slice(0, 18)).toBe('01234567-89ab-7000');
    expect(mint(0x0123_4567_89ab).slice(0, 18)).toBe('01234567-89ab-7001');
    // The clock steps back: this minter stays ordered from its own last time.
    expect(mint(0x0123_4567_0000).slice(0, 18)).toBe('01234567-89ab-7002');
    expect(uuidv7Minter()(0x0000_0000_0001).slice(0, 18)).toBe('00000000-0001-7000');
  });
});
