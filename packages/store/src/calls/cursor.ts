import { CallFilterError } from '../errors.ts';

/** Where a page ended: the (created_at, id) of its last row. Opaque to callers. */
export type CallCursor = { createdAt: string; id: string };

export function encodeCursor(cursor: CallCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): CallCursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) {
      return { createdAt, id };
    }
  } catch {
    // fall through to the error below
  }
  throw new CallFilterError('cursor', 'not a cursor returned by calls.list');
}
