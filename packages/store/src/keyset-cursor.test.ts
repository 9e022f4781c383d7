import { describe, expect, it } from 'vitest';
import { encodeKeysetCursor, parseKeysetCursor } from './keyset-cursor.ts';

describe('keyset cursor', () => {
  it('parses what it encoded', () => {
    const cursor = { createdAt: '2026-11-26T06:50:00.000Z', id: '019abc00-0000-7000-8000-000000000001' };
    expect(parseKeysetCursor(encodeKeysetCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64url JSON', 'not a cursor'],
    ['a JSON object', Buffer.from('{"createdAt":"2026-11-26","id":"x"}').toString('base64url')],
    ['a date that does not parse', Buffer.from('["yesterday","x"]').toString('base64url')],
    ['an id that is not a string', Buffer.from('["2026-11-26T06:50:00.000Z",7]').toString('base64url')],
    ['empty', ''],
  ])('returns undefined for %s', (_name, value) => {
    expect(parseKeysetCursor(value)).toBeUndefined();
  });
});
