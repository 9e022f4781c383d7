import { z } from 'zod';

/** What is wrong with a dataset, one kind per check. */
export const datasetProblemKindSchema = z.enum([
  'missing-column',
  'duplicate-column',
  'empty-cell',
  'invalid-encoding',
  'ragged-row',
  'malformed-csv',
  'malformed-json',
  'invalid-score',
  'empty-dataset',
]);
export type DatasetProblemKind = z.infer<typeof datasetProblemKindSchema>;

/**
 * One thing wrong with a dataset. `row` is the 1-based data row (the first row after the header
 * is row 1; `null` for file-level problems such as a missing column), `line` the file line where
 * that row starts, `column` the column's name where one is concerned.
 */
export const datasetProblemSchema = z.object({
  kind: datasetProblemKindSchema,
  row: z.number().int().positive().nullable(),
  line: z.number().int().positive().nullable(),
  column: z.string().nullable(),
  message: z.string(),
});
export type DatasetProblem = z.infer<typeof datasetProblemSchema>;

/** `row 3 (line 7), column 'parties': the cell is empty` */
export function formatDatasetProblem(problem: DatasetProblem): string {
  const where: string[] = [];
  if (problem.row !== null) {
    where.push(problem.line === null ? `row ${problem.row}` : `row ${problem.row} (line ${problem.line})`);
  } else if (problem.line !== null) {
    where.push(`line ${problem.line}`);
  }
  if (problem.column !== null) where.push(`column '${problem.column}'`);
  return where.length === 0 ? problem.message : `${where.join(', ')}: ${problem.message}`;
}
