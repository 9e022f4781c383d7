import type { LLMClient } from '@reins/client';
import { z } from 'zod';
import { DEFAULT_RUBRIC, JUDGE_PROMPT_VERSION, JUDGE_SYSTEM, judgePrompt } from './judge-prompt.ts';
import type { Scorer } from './scorer.ts';

/** What the judge needs of a client: `structured` (a real `LLMClient`, or a fake in tests). */
export type JudgeClient = Pick<LLMClient, 'structured'>;

export type JudgeScorerOptions = {
  client: JudgeClient;
  /** `provider/model` of the grading model. */
  model: string;
  /** What a good answer is, in words; default: agreement with the ideal answer. */
  rubric?: string;
  /** Lowest score that passes (default 4). */
  passAt?: number;
  /** Output budget of a grading call (default 400). */
  maxTokens?: number;
};

/** The judge's answer: reasoning first, so the score follows from it. */
export const judgeVerdictSchema = z.object({
  reasoning: z.string(),
  score: z.int().min(1).max(5),
});

/**
 * LLM-as-judge: a grading model scores the answer 1–5 against `ideal_output` and a rubric. Its
 * calls go through the client like any other (retries, limits, budget, call log) and carry
 * `tags: ['eval-judge']`, the run's `evalRunId` and the template `reins/eval-judge`, so they are
 * metered and logged as the judge's; their cost is reported apart from the graded model's.
 *
 * @example
 * const judge = judgeScorer({ client, model: 'anthropic/claude-haiku-4-5', rubric: 'Names every party and deadline.' });
 * const { score, reason } = await judge.score({ output, idealOutput, variables, prompt });
 */
export function judgeScorer(options: JudgeScorerOptions): Scorer {
  const rubric = options.rubric ?? DEFAULT_RUBRIC;
  const passAt = options.passAt ?? 4;
  return {
    name: 'judge',
    scale: 'five-point',
    async score(input) {
      const result = await options.client.structured({
        model: options.model,
        system: JUDGE_SYSTEM,
        prompt: judgePrompt({ ...input, rubric }),
        schema: judgeVerdictSchema,
        schemaName: 'verdict',
        maxTokens: options.maxTokens ?? 400,
        ...(input.signal === undefined ? {} : { signal: input.signal }),
        metadata: {
          tags: ['eval-judge', ...(input.tags ?? [])],
          template: { name: 'reins/eval-judge', version: JUDGE_PROMPT_VERSION },
          ...(input.evalRunId === undefined ? {} : { evalRunId: input.evalRunId }),
          ...(input.traceId === undefined ? {} : { traceId: input.traceId }),
        },
      });
      const { score, reasoning } = result.value;
      return {
        scorer: 'judge',
        scale: 'five-point',
        score,
        passed: score >= passAt,
        reason: reasoning,
        judge: {
          callId: result.callId,
          model: result.model,
          costUsd: result.costUsd,
          inputTokens: result.usage.inputTokens,
          outputTokens: result.usage.outputTokens,
          latencyMs: result.latencyMs,
        },
      };
    },
  };
}
