import type { EvalResultRecord, NewEvalResult } from '@reins/store';
import { z } from 'zod';
import { scoreResultSchema } from '../scorers/scorer.ts';
import { toFivePoint } from '../scorers/to-five-point.ts';
import type { EvalResult } from './eval-result.ts';

/** An {@link EvalResult} as the store writes it, with the primary score repeated for SQL. */
export function toStoredResult(result: EvalResult): NewEvalResult {
  const { humanScore: _humanScore, humanNote: _humanNote, ...rest } = result;
  const primary = result.scores[0];
  const judgeCosts = result.scores
    .map((score) => score.judge?.costUsd ?? null)
    .filter((cost) => cost !== null);
  return {
    ...rest,
    score: primary === undefined ? null : toFivePoint(primary),
    passed: primary === undefined ? null : primary.passed,
    judgeCostUsd: judgeCosts.length === 0 ? null : judgeCosts.reduce((sum, cost) => sum + cost, 0),
  };
}

const storedScoresSchema = z.array(scoreResultSchema);

/** A stored result back as an {@link EvalResult}; the scores are checked on the way in. */
export function fromStoredResult(record: EvalResultRecord): EvalResult {
  return {
    runId: record.runId,
    row: record.row,
    model: record.model,
    promptVersion: record.promptVersion,
    status: record.status,
    variables: record.variables as EvalResult['variables'],
    idealOutput: record.idealOutput,
    modelOutput: record.modelOutput,
    errorClass: record.errorClass,
    errorMessage: record.errorMessage,
    callId: record.callId,
    traceId: record.traceId,
    attempts: record.attempts,
    inputTokens: record.inputTokens,
    cachedInputTokens: record.cachedInputTokens,
    outputTokens: record.outputTokens,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs,
    scores: storedScoresSchema.parse(record.scores),
    scoreError: record.scoreError,
    humanScore: record.humanScore,
    humanNote: record.humanNote,
    finishedAt: record.finishedAt,
  };
}
