import { z } from 'zod';
import { datasetSummarySchema } from '../dataset/validate-dataset.ts';
import { scorerSpecSchema } from '../scorers/scorer-spec.ts';

/** One prompt version in a run: the ref it was asked as, the label results carry, its file hash. */
export const promptVersionSchema = z.object({
  /** `contract_summary` (the file as it is) or `contract_summary@1.0.0`. */
  ref: z.string(),
  /** What the results and reports call it: the semver, plus the hash when the file is uncommitted. */
  label: z.string(),
  hash: z.string(),
});
export type PromptVersion = z.infer<typeof promptVersionSchema>;

/**
 * Everything a run needs to be re-run or resumed, stored with it: the dataset (path and
 * fingerprint), the template and its versions, the models, the scorers and the limits.
 *
 * @example
 * evalRunConfigSchema.parse({ dataset: { path, ...summary }, template: 'contract_summary', versions, models,
 *   scorers: [{ type: 'judge' }], judgeModel: 'anthropic/claude-haiku-4-5', variables });
 */
export const evalRunConfigSchema = z.object({
  dataset: datasetSummarySchema.extend({ path: z.string() }),
  template: z.string(),
  versions: z.array(promptVersionSchema).min(1),
  models: z.array(z.string().regex(/^[^/\s]+\/\S+$/, 'models are named provider/model')).min(1),
  scorers: z.array(scorerSpecSchema),
  judgeModel: z.string().optional(),
  /** The template's variables in order: the export's first columns. */
  variables: z.array(z.string()),
  maxTokens: z.int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  /**
   * Cells in flight at once, or `auto` (the default): as many as the limits and the provider's
   * latency can use, found as the run goes (see adaptive-concurrency.ts). The client's rate
   * limiter still decides when each call is sent.
   */
  concurrency: z.union([z.int().positive().max(1000), z.literal('auto')]).default('auto'),
  /** Stop starting cells once this much (models + judge) would be spent; the run stays resumable. */
  budgetUsd: z.number().positive().optional(),
});
export type EvalRunConfig = z.output<typeof evalRunConfigSchema>;
export type EvalRunConfigInput = z.input<typeof evalRunConfigSchema>;
