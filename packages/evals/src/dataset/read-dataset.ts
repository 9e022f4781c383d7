import { DatasetError } from './dataset-error.ts';
import type { DatasetRow } from './dataset-row.ts';
import { type DatasetSource, datasetName } from './dataset-source.ts';
import type { DatasetSpec } from './dataset-spec.ts';
import { scanDataset } from './scan-dataset.ts';

/**
 * Streams a dataset's valid rows in file order. It stops with a {@link DatasetError} at the first
 * bad row, so run {@link validateDataset} first to learn every problem at once.
 *
 * @example
 * for await (const row of readDataset({ path: 'datasets/contract_summary.csv' }, spec)) {
 *   console.log(row.row, row.variables.contract_title, row.idealOutput);
 * }
 */
export async function* readDataset(source: DatasetSource, spec: DatasetSpec): AsyncGenerator<DatasetRow> {
  for await (const event of scanDataset(source, spec)) {
    if (event.type === 'row') yield event.row;
    else if (event.type === 'problems') throw new DatasetError(datasetName(source), event.problems);
  }
}
