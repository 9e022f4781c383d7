import { CallFilterError } from '../errors.ts';
import { type KeysetCursor, parseKeysetCursor } from '../keyset-cursor.ts';

export { encodeKeysetCursor as encodeCursor } from '../keyset-cursor.ts';

/** Where a page ended: the (created_at, id) of its last row. Opaque to callers. */
export type CallCursor = KeysetCursor;

export function decodeCursor(value: string): CallCursor {
  const cursor = parseKeysetCursor(value);
  if (cursor === undefined) throw new CallFilterError('cursor', 'not a cursor returned by calls.list');
  return cursor;
}
