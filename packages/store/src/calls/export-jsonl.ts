import { once } from 'node:events';
import type { ResolvedCallFilter } from './call-filter.ts';
import { type CallReadContext, listCalls } from './list-calls.ts';

const PAGE_SIZE = 500;

/**
 * Writes every matching attempt (newest first, up to `filter.limit` when given) as one JSON object
 * per line, honouring the stream's backpressure. Resolves to the number of lines written; the
 * stream is left open.
 *
 * @example
 * await exportJsonl({ db, dialect }, { since: '7d' }, createWriteStream('calls.jsonl'))
 */
export async function exportJsonl(
  context: CallReadContext,
  filter: ResolvedCallFilter,
  writable: NodeJS.WritableStream,
): Promise<number> {
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  let cursor = filter.cursor;
  let written = 0;
  while (written < limit) {
    const page = await listCalls(
      context,
      { ...filter, ...(cursor !== undefined ? { cursor } : {}) },
      Math.min(PAGE_SIZE, limit - written),
    );
    for (const entry of page.items) {
      if (!writable.write(`${JSON.stringify(entry)}\n`)) await once(writable, 'drain');
      written++;
    }
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  return written;
}
