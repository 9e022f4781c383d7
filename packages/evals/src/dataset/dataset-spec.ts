import { z } from 'zod';

/**
 * What a dataset must hold for a template: every name in `variables` is a column whose cells are
 * never empty; `optionalVariables` may be missing or empty; `ideal_output` is required unless
 * `requireIdealOutput` is false (a judge-only or regex-only run may do without it).
 *
 * @example
 * const spec = datasetSpecSchema.parse({ variables: ['contract_title', 'contract_content'] });
 */
export const datasetSpecSchema = z.object({
  variables: z.array(z.string().min(1)),
  optionalVariables: z.array(z.string().min(1)).default([]),
  requireIdealOutput: z.boolean().default(true),
});
export type DatasetSpec = z.input<typeof datasetSpecSchema>;
export type ResolvedDatasetSpec = z.output<typeof datasetSpecSchema>;
