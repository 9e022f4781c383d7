/**
 * Where a newest-first page ended: the `(created_at, id)` of its last row, opaque to callers. The
 * call log, tasks and eval runs page the same way; each reports a bad cursor with its own error.
 */
export type KeysetCursor = { createdAt: string; id: string };

/**
 * @example
 * const nextCursor = encodeKeysetCursor({ createdAt: last.createdAt, id: last.id });
 */
export function encodeKeysetCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/**
 * The cursor `encodeKeysetCursor` made, or `undefined` for anything else.
 *
 * @example
 * const cursor = parseKeysetCursor(value) ?? fail('cursor');
 */
export function parseKeysetCursor(value: string): KeysetCursor | undefined {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) {
      return { createdAt, id };
    }
  } catch {
    // not ours: the caller reports it
  }
  return undefined;
}
