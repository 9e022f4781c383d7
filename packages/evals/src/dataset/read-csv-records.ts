import { type CsvError, parse } from 'csv-parse';
import { countLeadingLineBreaks, countLineBreaks } from './count-line-breaks.ts';
import type { RawRecordEvent } from './raw-record.ts';

type CsvRecord = { row: number; line: number; cells: string[] };

/**
 * Streams a CSV's records (RFC 4180: quoted cells may hold commas, doubled quotes, line breaks,
 * JSON). The header comes out as row 0. Row length is not enforced here so that a ragged row is
 * reported with its number rather than ending the read. A quote inside an unquoted cell is kept
 * literally (`{"a":1}` written without surrounding quotes, the promptfoo #3069 case); a quoting
 * error the reader cannot recover from ends the read with one `malformed-csv` problem, after every
 * record before it.
 *
 * The parser is fed one chunk at a time and only when the caller asks for more, so a slow
 * consumer (a run calling models) holds back the file read.
 *
 * @example
 * for await (const event of readCsvRecords(normalizeUtf8(readSourceChunks(source)))) …
 */
export async function* readCsvRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<RawRecordEvent> {
  let row = -1;
  let lineBreaks = 0;
  let failure: { error: Error; row: number; line: number } | undefined;
  const queue: CsvRecord[] = [];
  const parser = parse({
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    raw: true,
    // A parse error is reported here rather than by destroying the stream, which would drop
    // the records parsed just before it. Everything after the first one is ignored.
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      failure ??= { error: error ?? new Error('invalid CSV'), row: row + 1, line: 1 + lineBreaks };
      return undefined;
    },
    on_record: (extended: unknown) => {
      // With `raw: true` each record comes as `{ record, raw }`.
      const { record, raw } = extended as { record: string[]; raw: string };
      if (failure !== undefined) return null;
      row += 1;
      const line = 1 + lineBreaks + countLeadingLineBreaks(raw);
      lineBreaks += countLineBreaks(raw);
      queue.push({ row, line, cells: record });
      // Records go to `queue`, not to the stream, so the stream never holds a backlog.
      return null;
    },
  });
  parser.on('error', (error: Error) => {
    failure ??= { error, row: row + 1, line: 1 + lineBreaks };
  });
  parser.resume();

  function* drain(): Generator<RawRecordEvent> {
    while (queue.length > 0) {
      const { row: number, line, cells } = queue.shift()!;
      yield { type: 'record', record: { format: 'csv', row: number, line, cells } };
    }
  }

  try {
    for await (const chunk of chunks) {
      parser.write(chunk);
      yield* drain();
      if (failure !== undefined) break;
    }
    if (failure === undefined) {
      await new Promise<void>((resolve) => parser.end(resolve));
      yield* drain();
    }
    if (failure !== undefined) {
      yield {
        type: 'problem',
        problem: {
          kind: 'malformed-csv',
          row: failure.row > 0 ? failure.row : null,
          line: failure.line,
          column: null,
          message: `${failure.error.message}; the file cannot be read past this point (a cell holding quotes must be wrapped in double quotes, with each inner quote doubled)`,
        },
      };
    }
  } finally {
    parser.destroy();
  }
}
