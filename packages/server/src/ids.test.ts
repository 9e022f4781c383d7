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
});
