import { z } from 'zod';
import { DatasetError } from './dataset-error.ts';
import type { DatasetProblem } from './dataset-problem.ts';
import { type DatasetSource, datasetName } from './dataset-source.ts';
import type { DatasetSpec } from './dataset-spec.ts';
import { scanDataset } from './scan-dataset.ts';

/** What a valid dataset looks like from the outside; the run stores it with its results. */
export const datasetSummarySchema = z.object({
  name: z.string(),
  format: z.enum(['csv', 'jsonl']),
  columns: z.array(z.string()),
  rowCount: z.number().int().nonnegative(),
  fingerprint: z.string(),
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export type ValidateDatasetOptions = {
  /** Problems kept in the error past which the rest are only counted; default 1000. */
  maxProblems?: number;
};

/**
 * Reads the whole dataset once, streaming, and throws one {@link DatasetError} listing every
 * problem (row, column, what is wrong) if there is any: call it before spending on a run.
 *
 * @example
 * const summary = await validateDataset({ path: 'datasets/contract_summary.csv' }, {
 *   variables: ['contract_title', 'parties', 'contract_date', 'contract_type', 'contract_content'],
 * });
 * console.log(`${summary.rowCount} rows`);
 */
export async function validateDataset(
  source: DatasetSource,
  spec: DatasetSpec,
  options: ValidateDatasetOptions = {},
): Promise<DatasetSummary> {
  const maxProblems = options.maxProblems ?? 1000;
  const problems: DatasetProblem[] = [];
  let omitted = 0;
  let columns: string[] = [];
  for await (const event of scanDataset(source, spec)) {
    if (event.type === 'columns') columns = event.columns;
    else if (event.type === 'problems') {
      for (const problem of event.problems) {
        if (problems.length < maxProblems) problems.push(problem);
        else omitted += 1;
      }
    } else if (event.type === 'end') {
      if (problems.length > 0) throw new DatasetError(datasetName(source), problems, omitted);
      const { format, rowCount, fingerprint } = event;
      return { name: datasetName(source), format, columns, rowCount, fingerprint };
    }
  }
  throw new Error('unreachable: scanDataset always ends with an end event');
}
