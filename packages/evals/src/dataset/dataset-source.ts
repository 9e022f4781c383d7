import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { EvalsError } from '../evals-error.ts';

export type DatasetFormat = 'csv' | 'jsonl';

/**
 * Where a dataset's bytes come from: a file (format from the extension unless given), or content in
 * memory (an upload). A source is read more than once: validation first, then the run.
 *
 * @example
 * const fromFile: DatasetSource = { path: 'datasets/contract_summary.csv' };
 * const inMemory: DatasetSource = { name: 'upload.csv', content: 'a,ideal_output\n1,2\n', format: 'csv' };
 */
export type DatasetSource =
  | { path: string; format?: DatasetFormat }
  | { content: string | Uint8Array; format: DatasetFormat; name?: string };

/** The format of a source: given, or `.csv` / `.jsonl` / `.ndjson` from the file name. */
export function datasetFormat(source: DatasetSource): DatasetFormat {
  if (source.format !== undefined) return source.format;
  const extension = 'path' in source ? extname(source.path).toLowerCase() : '';
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  throw new EvalsError(
    `cannot tell the format of dataset ${datasetName(source)}: use .csv or .jsonl, or say format`,
  );
}

/** A short name for messages: the file name, or the upload's name. */
export function datasetName(source: DatasetSource): string {
  if ('path' in source) return basename(source.path);
  return source.name ?? `(in-memory ${source.format})`;
}

/** The source's bytes as chunks, read lazily so a large file is never held whole. */
export async function* readSourceChunks(source: DatasetSource): AsyncGenerator<Uint8Array> {
  if ('content' in source) {
    yield typeof source.content === 'string' ? Buffer.from(source.content) : source.content;
    return;
  }
  try {
    for await (const chunk of createReadStream(source.path)) yield chunk as Buffer;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new EvalsError(`dataset not found: ${source.path}`, { cause: error });
    }
    throw error;
  }
}
