import { describe, expect, it } from 'vitest';
import { CallFilterError } from '../errors.ts';
import { resolveCallFilter } from './call-filter.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

const now = new Date('2025-06-01T12:00:00.000Z');

describe('resolveCallFilter', () => {
  it('resolves times to ISO strings and keeps the rest', () => {
    expect(
      resolveCallFilter({ since: '1h', until: '2025-06-01', model: 'openai/gpt-5.6-luna', limit: 5 }, now),
    ).toEqual({
      since: '2025-06-01T11:00:00.000Z',
      until: '2025-06-01T00:00:00.000Z',
      model: 'openai/gpt-5.6-luna',
      limit: 5,
    });
  });

  it('coerces a numeric limit given as text (CLI, query strings)', () => {
    expect(resolveCallFilter({ limit: '20' as unknown as number }, now).limit).toBe(20);
  });

  it.each([
    [{ since: 'yesterday' }, 'since'],
    [{ status: 'failed' }, 'status'],
    [{ limit: 0 }, 'limit'],
    [{ limit: 5000 }, 'limit'],
    [{ traceId: '' }, 'traceId'],
  ])('names the bad field: %j', (filter, field) => {
    let error: unknown;
    try {
      resolveCallFilter(filter as never, now);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CallFilterError);
    expect((error as CallFilterError).field).toBe(field);
  });
});

describe('cursor', () => {
  it('round-trips and refuses garbage', () => {
    const cursor = { createdAt: '2025-06-01T11:00:00.000Z', id: '0197-abc' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(() => decodeCursor('not-a-cursor')).toThrow(CallFilterError);
    expect(() => decodeCursor(Buffer.from('["x","y"]').toString('base64url'))).toThrow(/cursor/);
  });
});
