import { z } from 'zod';
import { datasetValueSchema } from '../dataset/dataset-row.ts';
import { scoreResultSchema } from '../scorers/scorer.ts';

/**
 * One dataset row answered by one model with one prompt version. It carries the row's variables
 * and ideal output so a run can be exported without its dataset file, and the call ids that link
 * it to the call log. Automatic scores (`scores`, first is primary) and the human score are kept
 * apart: a person's 1–5 never overwrites a scorer's.
 */
export const evalResultSchema = z.object({
  runId: z.string(),
  row: z.int().positive(),
  model: z.string(),
  promptVersion: z.string(),
  status: z.enum(['ok', 'error']),
  variables: z.record(z.string(), datasetValueSchema),
  idealOutput: z.string(),
  modelOutput: z.string().nullable(),
  errorClass: z.string().nullable(),
  errorMessage: z.string().nullable(),
  callId: z.string().nullable(),
  traceId: z.string().nullable(),
  attempts: z.int().nonnegative(),
  inputTokens: z.int().nonnegative(),
  cachedInputTokens: z.int().nonnegative(),
  outputTokens: z.int().nonnegative(),
  costUsd: z.number().nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  scores: z.array(scoreResultSchema),
  scoreError: z.string().nullable(),
  humanScore: z.number().min(1).max(5).nullable(),
  humanNote: z.string().nullable(),
  finishedAt: z.string(),
});
export type EvalResult = z.infer<typeof evalResultSchema>;

/** The cell a result fills in the run's matrix: one row × model × prompt version. */
export function resultKey(result: Pick<EvalResult, 'row' | 'model' | 'promptVersion'>): string {
  return `${result.row}\u0000${result.model}\u0000${result.promptVersion}`;
}
