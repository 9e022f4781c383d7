import type { RawRecordEvent } from './raw-record.ts';

/**
 * Streams a JSONL file's objects, one per non-blank line, numbered from 1. A line that is not a
 * JSON object becomes a `malformed-json` problem and reading goes on.
 *
 * @example
 * for await (const event of readJsonlRecords(normalizeUtf8(readSourceChunks(source)))) …
 */
export async function* readJsonlRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<RawRecordEvent> {
  let row = 0;
  let line = 0;
  for await (const text of splitLines(chunks)) {
    line += 1;
    if (text.trim() === '') continue;
    row += 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { type: 'problem', problem: malformed(row, line, `not valid JSON: ${(error as Error).message}`) };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { type: 'problem', problem: malformed(row, line, 'each line must be a JSON object') };
      continue;
    }
    yield { type: 'record', record: { format: 'jsonl', row, line, value: value as Record<string, unknown> } };
  }
}

function malformed(row: number, line: number, message: string) {
  return { kind: 'malformed-json' as const, row, line, column: null, message };
}

async function* splitLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let pending = '';
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const text of lines) yield text.replace(/\r$/, '');
  }
  pending += decoder.decode();
  if (pending !== '') yield pending.replace(/\r$/, '');
}
