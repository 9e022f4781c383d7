import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { EvalResult } from '../run/eval-result.ts';
import { RESULT_COLUMNS, toCell, toWorkbenchRecord } from './workbench-record.ts';

export type ExportOptions = {
  /** The template's variables, in column order. */
  variables: readonly string[];
  /** Start the CSV with a UTF-8 byte-order mark so Excel reads accents right (default `true`). */
  bom?: boolean;
  /** End `output` when done (default `true`; pass `false` for stdout). */
  end?: boolean;
};

/**
 * Writes results as CSV in the Workbench layout (see {@link toWorkbenchRecord}), streaming: a run
 * of any size is written without being held in memory. Resolves to the number of rows written.
 *
 * @example
 * await exportResultsCsv(store.evals.results(runId), createWriteStream('results.csv'), { variables });
 */
export async function exportResultsCsv(
  results: AsyncIterable<EvalResult> | Iterable<EvalResult>,
  output: Writable,
  options: ExportOptions,
): Promise<number> {
  const columns = [...options.variables, ...RESULT_COLUMNS];
  let count = 0;
  async function* records() {
    for await (const result of results) {
      count += 1;
      const record = toWorkbenchRecord(result, options.variables);
      yield columns.map((column) => toCell(record[column]));
    }
  }
  const csv = stringify({ header: true, columns, bom: options.bom ?? true, record_delimiter: 'unix' });
  await pipeline(Readable.from(records()), csv, output, { end: options.end ?? true });
  return count;
}

/**
 * Writes results as JSONL: one flat Workbench record per line (so it re-imports as a dataset) plus
 * the detail a CSV leaves out: every score with its reason, tokens, call and trace ids, the human
 * note.
 *
 * @example
 * await exportResultsJsonl(results, process.stdout, { variables, end: false });
 */
export async function exportResultsJsonl(
  results: AsyncIterable<EvalResult> | Iterable<EvalResult>,
  output: Writable,
  options: Omit<ExportOptions, 'bom'>,
): Promise<number> {
  let count = 0;
  async function* lines() {
    for await (const result of results) {
      count += 1;
      const record = {
        ...toWorkbenchRecord(result, options.variables),
        scores: result.scores,
        input_tokens: result.inputTokens,
        cached_input_tokens: result.cachedInputTokens,
        output_tokens: result.outputTokens,
        call_id: result.callId,
        trace_id: result.traceId,
        human_note: result.humanNote,
      };
      yield `${JSON.stringify(record)}\n`;
    }
  }
  await pipeline(Readable.from(lines()), output, { end: options.end ?? true });
  return count;
}
