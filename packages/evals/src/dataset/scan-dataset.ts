import { createHash } from 'node:crypto';
import { checkHeader } from './check-header.ts';
import { checkRecord } from './check-record.ts';
import type { DatasetProblem } from './dataset-problem.ts';
import type { DatasetRow } from './dataset-row.ts';
import { type DatasetFormat, type DatasetSource, datasetFormat, readSourceChunks } from './dataset-source.ts';
import { type DatasetSpec, datasetSpecSchema } from './dataset-spec.ts';
import { normalizeUtf8 } from './normalize-utf8.ts';
import { readCsvRecords } from './read-csv-records.ts';
import { readJsonlRecords } from './read-jsonl-records.ts';

/** What a scan yields, in file order: the columns once, then each row or the problems of a row. */
export type DatasetScanEvent =
  | { type: 'columns'; columns: string[] }
  | { type: 'row'; row: DatasetRow }
  | { type: 'problems'; problems: DatasetProblem[] }
  | { type: 'end'; rowCount: number; fingerprint: string; format: DatasetFormat };

/**
 * Reads a dataset once, streaming, checking each record against the spec as it goes. Memory
 * stays flat in the number of rows. Rows whose cells are all empty (a spreadsheet's trailing
 * `,,,` lines) are skipped but keep their number. `end` carries the count of (non-blank) data rows and the
 * SHA-256 of the file's bytes, so a resumed run can tell the file has not changed.
 *
 * @example
 * for await (const event of scanDataset({ path: 'datasets/contract_summary.csv' }, spec)) …
 */
export async function* scanDataset(
  source: DatasetSource,
  spec: DatasetSpec,
): AsyncGenerator<DatasetScanEvent> {
  const resolved = datasetSpecSchema.parse(spec);
  const format = datasetFormat(source);
  const hash = createHash('sha256');
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of readSourceChunks(source)) {
      hash.update(chunk);
      yield chunk;
    }
  }
  const text = normalizeUtf8(hashed());
  const records = format === 'csv' ? readCsvRecords(text) : readJsonlRecords(text);
  let header: string[] | undefined;
  let rowCount = 0;
  let columns = new Set<string>();
  for await (const event of records) {
    if (event.type === 'problem') {
      yield { type: 'problems', problems: [event.problem] };
      continue;
    }
    const record = event.record;
    if (record.format === 'csv' && record.row === 0) {
      header = record.cells.map((name) => name.trim());
      yield { type: 'columns', columns: header.filter((name) => name !== '') };
      const problems = checkHeader(record.cells, resolved);
      if (problems.length > 0) yield { type: 'problems', problems };
      continue;
    }
    if (isBlank(record)) continue;
    rowCount += 1;
    if (record.format === 'jsonl') {
      const before = columns.size;
      columns = new Set([...columns, ...Object.keys(record.value)]);
      if (columns.size !== before) yield { type: 'columns', columns: [...columns] };
    }
    const check = checkRecord(record, header ?? [], resolved);
    yield check.ok ? { type: 'row', row: check.row } : { type: 'problems', problems: check.problems };
  }
  if (rowCount === 0) {
    const message =
      header === undefined && format === 'csv' ? 'the file is empty' : 'the dataset has no rows';
    yield {
      type: 'problems',
      problems: [{ kind: 'empty-dataset', row: null, line: null, column: null, message }],
    };
  }
  yield { type: 'end', rowCount, fingerprint: hash.digest('hex'), format };
}

function isBlank(record: Parameters<typeof checkRecord>[0]): boolean {
  if (record.format === 'csv') return record.cells.every((cell) => cell.trim() === '');
  return Object.keys(record.value).length === 0;
}
