import type { Insertable, Selectable } from 'kysely';
import type { EvalResultsTable } from './eval-tables.ts';
import { iso } from './eval-tables.ts';

/**
 * One dataset row × model × prompt version as the store keeps it. `scores` is the automatic
 * scores as `@reins/evals` wrote them; `score`/`passed` repeat the primary one (1–5) for SQL.
 * The human score and note are separate columns, never mixed with the automatic ones.
 */
export type EvalResultRecord = {
  runId: string;
  row: number;
  model: string;
  promptVersion: string;
  status: 'ok' | 'error';
  variables: Record<string, unknown>;
  idealOutput: string;
  modelOutput: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  callId: string | null;
  traceId: string | null;
  attempts: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  latencyMs: number | null;
  scores: unknown[];
  score: number | null;
  passed: boolean | null;
  scoreError: string | null;
  judgeCostUsd: number | null;
  humanScore: number | null;
  humanNote: string | null;
  humanScoredAt: string | null;
  finishedAt: string;
};

/** What a runner writes: everything but the human score, which is set afterwards. */
export type NewEvalResult = Omit<EvalResultRecord, 'humanScore' | 'humanNote' | 'humanScoredAt'>;

const numberOrNull = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

export function rowToEvalResult(row: Selectable<EvalResultsTable>): EvalResultRecord {
  return {
    runId: row.run_id,
    row: Number(row.dataset_row),
    model: row.model,
    promptVersion: row.prompt_version,
    status: row.status as 'ok' | 'error',
    variables: JSON.parse(row.variables_json) as Record<string, unknown>,
    idealOutput: row.ideal_output,
    modelOutput: row.model_output,
    errorClass: row.error_class,
    errorMessage: row.error_message,
    callId: row.call_id,
    traceId: row.trace_id,
    attempts: Number(row.attempts),
    inputTokens: Number(row.input_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: numberOrNull(row.cost_usd),
    latencyMs: numberOrNull(row.latency_ms),
    scores: JSON.parse(row.scores_json) as unknown[],
    score: numberOrNull(row.score),
    passed: row.passed === null ? null : Number(row.passed) === 1,
    scoreError: row.score_error,
    judgeCostUsd: numberOrNull(row.judge_cost_usd),
    humanScore: numberOrNull(row.human_score),
    humanNote: row.human_note,
    humanScoredAt: row.human_scored_at === null ? null : iso(row.human_scored_at),
    finishedAt: iso(row.finished_at),
  };
}

export function evalResultToRow(result: NewEvalResult): Insertable<EvalResultsTable> {
  return {
    run_id: result.runId,
    dataset_row: result.row,
    model: result.model,
    prompt_version: result.promptVersion,
    status: result.status,
    variables_json: JSON.stringify(result.variables),
    ideal_output: result.idealOutput,
    model_output: result.modelOutput,
    error_class: result.errorClass,
    error_message: result.errorMessage,
    call_id: result.callId,
    trace_id: result.traceId,
    attempts: result.attempts,
    input_tokens: result.inputTokens,
    cached_input_tokens: result.cachedInputTokens,
    output_tokens: result.outputTokens,
    cost_usd: result.costUsd,
    latency_ms: result.latencyMs,
    scores_json: JSON.stringify(result.scores),
    score: result.score,
    passed: result.passed === null ? null : result.passed ? 1 : 0,
    score_error: result.scoreError,
    judge_cost_usd: result.judgeCostUsd,
    human_score: null,
    human_note: null,
    human_scored_at: null,
    finished_at: result.finishedAt,
  };
}
