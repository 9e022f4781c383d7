import { z } from 'zod';

/** A cell's value: text from a CSV, any JSON value from a JSONL line. */
export const datasetValueSchema = z.json();
export type DatasetValue = z.infer<typeof datasetValueSchema>;

/**
 * One validated example. `row` is 1-based (the first row after the header is 1) and is the key a
 * run's results refer to; `line` is the file line where it starts. `variables` holds the template's
 * variables, `extra` every other column (an export's `model`, `cost_usd`, … land there).
 */
export const datasetRowSchema = z.object({
  row: z.number().int().positive(),
  line: z.number().int().positive(),
  variables: z.record(z.string(), datasetValueSchema),
  idealOutput: z.string(),
  modelOutput: z.string().nullable(),
  score: z.number().min(1).max(5).nullable(),
  extra: z.record(z.string(), datasetValueSchema),
});
export type DatasetRow = z.infer<typeof datasetRowSchema>;
