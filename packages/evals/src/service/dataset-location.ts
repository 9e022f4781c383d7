import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { EvalsInputError } from '../evals-input-error.ts';

/**
 * The file behind an API dataset path, which must stay inside `datasetsDir` (no `..`, no absolute
 * paths): a client names a dataset, it does not read the server's disk.
 *
 * @example
 * datasetInFolder('datasets', 'contract_summary.csv') // '/srv/reins/datasets/contract_summary.csv'
 */
export function datasetInFolder(datasetsDir: string, path: string): string {
  const root = resolve(datasetsDir);
  const file = resolve(root, path);
  const inside = relative(root, file);
  if (isAbsolute(path) || inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new EvalsInputError(
      'dataset.path',
      `dataset path '${path}' must name a file inside the datasets folder`,
    );
  }
  return file;
}

/**
 * Keeps an uploaded dataset as a file named by its SHA-256 (and the upload's name), so a run can read it again (validate,
 * then run, then resume) and the same upload twice is stored once.
 *
 * @example
 * const path = await saveUploadedDataset('data/eval-uploads', csvText, 'csv');
 */
export async function saveUploadedDataset(
  uploadsDir: string,
  content: string,
  format: 'csv' | 'jsonl',
  name?: string,
): Promise<string> {
  await mkdir(uploadsDir, { recursive: true });
  const hash = createHash('sha256').update(content).digest('hex');
  const label =
    name === undefined
      ? ''
      : `-${name
          .replace(/\.(csv|jsonl|ndjson)$/i, '')
          .replace(/[^\w.-]+/g, '_')
          .slice(0, 80)}`;
  const file = join(resolve(uploadsDir), `${hash.slice(0, 16)}${label}.${format}`);
  await writeFile(file, content);
  return file;
}
