import { z } from 'zod';
import type { DatasetValue } from '../dataset/dataset-row.ts';

/**
 * The scale a scorer speaks: `unit` is 0–1 (1 = right; the rule-based scorers and `similarity`),
 * `five-point` is 1–5 (the judge; Workbench: 1 poor … 5 excellent).
 */
export const scoreScaleSchema = z.enum(['unit', 'five-point']);
export type ScoreScale = z.infer<typeof scoreScaleSchema>;

/** The judge's own call, kept apart from the graded model's cost and tokens. */
export const judgeCallSchema = z.object({
  callId: z.string(),
  model: z.string(),
  costUsd: z.number().nullable(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
});
export type JudgeCall = z.infer<typeof judgeCallSchema>;

/**
 * An automatic score. `score` is on the scorer's `scale`; `passed` applies the scorer's threshold;
 * `reason` says why in a sentence (the judge's reasoning, the schema errors, the numbers compared).
 */
export const scoreResultSchema = z.object({
  scorer: z.string(),
  scale: scoreScaleSchema,
  score: z.number(),
  passed: z.boolean(),
  reason: z.string().nullable(),
  judge: judgeCallSchema.nullable(),
});
export type ScoreResult = z.infer<typeof scoreResultSchema>;

/** What a scorer sees of one row: the model's answer, the ideal one, and the row's variables. */
export type ScoreInput = {
  output: string;
  idealOutput: string;
  variables: Record<string, DatasetValue>;
  /** The prompt as sent, flattened to text (the judge shows it to the grading model). */
  prompt?: string;
  signal?: AbortSignal;
  /** Ties the judge's calls to the run in the call log. */
  evalRunId?: string;
  traceId?: string;
  /** More call-log tags for the judge's calls (e.g. the API key owner's). */
  tags?: string[];
};

/**
 * Grades one answer. Rule-based scorers answer synchronously and never call a model; the judge
 * calls one. A scorer throws when it cannot grade at all (a judge call that failed, a bad
 * pattern); a wrong answer is a low score, not an error.
 *
 * @example
 * const result = await exactScorer().score({ output: 'Yes', idealOutput: 'Yes', variables: {} });
 * result.passed; // true
 */
export type Scorer = {
  readonly name: string;
  readonly scale: ScoreScale;
  score(input: ScoreInput): ScoreResult | Promise<ScoreResult>;
};
