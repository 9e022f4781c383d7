import { z } from 'zod';
import { scorerSpecSchema } from '../scorers/scorer-spec.ts';

/** A dataset for an API run: a file in the server's datasets folder, or the content itself. */
export const evalDatasetInputSchema = z.union([
  z.strictObject({
    path: z
      .string()
      .min(1)
      .max(500)
      .describe('relative to the server’s datasets folder, e.g. contract_summary.csv'),
  }),
  z.strictObject({
    content: z.string().min(1).describe('the CSV or JSONL text'),
    format: z.enum(['csv', 'jsonl']),
    name: z.string().min(1).max(200).optional(),
  }),
]);

/**
 * `POST /v1/evals`: what `reins eval run` takes, as JSON. Scorers are specs or the CLI shorthand
 * (`"judge"`, `"similarity:0.4"`).
 *
 * @example
 * evalCreateBodySchema.parse({ dataset: { path: 'contract_summary.csv' }, template: 'contract_summary',
 *   models: ['openai/gpt-5.6-luna'], scorers: ['judge'] })
 */
export const evalCreateBodySchema = z
  .strictObject({
    dataset: evalDatasetInputSchema,
    template: z.string().min(1).max(200),
    versions: z.array(z.string().min(1).max(200)).max(20).optional().describe('name@1.0.0 or @1.0.0'),
    models: z.array(z.string().min(3).max(200)).min(1).max(20),
    scorers: z
      .array(z.union([scorerSpecSchema, z.string().min(1).max(500)]))
      .max(10)
      .default(['similarity']),
    judgeModel: z.string().min(3).max(200).optional(),
    maxTokens: z.int().positive().max(200_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    concurrency: z.union([z.int().positive().max(1000), z.literal('auto')]).optional(),
    budgetUsd: z.number().positive().optional(),
    name: z.string().min(1).max(200).optional(),
  })
  .meta({ id: 'EvalCreate' });
export type EvalCreateBody = z.input<typeof evalCreateBodySchema>;

/** `POST /v1/evals/:id/rows/:row/score`: a person's 1–5 (or `null` to clear). */
export const humanScoreBodySchema = z
  .strictObject({
    score: z.number().min(1).max(5).nullable(),
    model: z.string().min(1).max(200).optional().describe('default: every model of the row'),
    promptVersion: z.string().min(1).max(200).optional(),
    note: z.string().max(2000).optional(),
  })
  .meta({ id: 'HumanScore' });
export type HumanScoreBody = z.infer<typeof humanScoreBodySchema>;
