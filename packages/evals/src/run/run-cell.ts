import type { GenerateResult } from '@reins/client';
import type { DatasetRow } from '../dataset/dataset-row.ts';
import type { ScoreResult, Scorer } from '../scorers/scorer.ts';
import type { EvalDeps } from './eval-deps.ts';
import type { EvalResult } from './eval-result.ts';
import type { EvalRunConfig, PromptVersion } from './eval-run-config.ts';
import { isStopError } from './is-stop-error.ts';

/** One unit of work: a dataset row, a prompt version, a model. */
export type Cell = { row: DatasetRow; version: PromptVersion; model: string };

export type CellContext = {
  runId: string;
  config: EvalRunConfig;
  scorers: readonly Scorer[];
  signal?: AbortSignal;
  /** More call-log tags for every call of the cell, the judge's included. */
  tags?: string[];
};

/** The rendered prompt of a cell as the client takes it, and flattened for the judge. */
export function renderCell(deps: Pick<EvalDeps, 'prompts'>, config: EvalRunConfig, cell: Cell) {
  const rendered = deps.prompts.render(cell.version.ref, cell.row.variables);
  const maxTokens = config.maxTokens ?? rendered.params?.maxTokens;
  const temperature = config.temperature ?? rendered.params?.temperature;
  const request = {
    model: cell.model,
    ...(rendered.system === undefined ? {} : { system: rendered.system }),
    messages: rendered.messages,
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
  };
  const text = [rendered.system, ...rendered.messages.map((message) => message.content)]
    .filter((part) => part !== undefined && part !== '')
    .join('\n\n');
  return { request, template: rendered.template, text };
}

/**
 * Runs one cell: renders the prompt, calls the model through the client (metadata ties every
 * call-log row to the run and the cell's trace), then grades the answer with each scorer in turn.
 * A failed call is a result with `status: 'error'`; a failed scorer keeps the scores before it
 * and records `scoreError`. Aborts and the client's budget refusals are thrown: the cell stays
 * unfinished for a resume.
 *
 * @example
 * const result = await runCell(deps, { runId, config, scorers }, { row, version, model: 'openai/gpt-5.6-luna' });
 */
export async function runCell(deps: EvalDeps, context: CellContext, cell: Cell): Promise<EvalResult> {
  const { row, version, model } = cell;
  const traceId = deps.generateId();
  const base = {
    runId: context.runId,
    row: row.row,
    model,
    promptVersion: version.label,
    variables: row.variables,
    idealOutput: row.idealOutput,
    traceId,
    humanScore: null,
    humanNote: null,
  };
  let answer: GenerateResult;
  let promptText: string;
  try {
    const { request, template, text } = renderCell(deps, context.config, cell);
    promptText = text;
    answer = await deps.client.generate({
      ...request,
      metadata: { evalRunId: context.runId, traceId, template, tags: ['eval', ...(context.tags ?? [])] },
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  } catch (error) {
    if (isStopError(error, context.signal)) throw error;
    const failure = error instanceof Error ? error : new Error(String(error));
    return {
      ...base,
      status: 'error',
      modelOutput: null,
      errorClass: failure.name,
      errorMessage: failure.message,
      callId: null,
      attempts: 0,
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      latencyMs: null,
      scores: [],
      scoreError: null,
      finishedAt: deps.now().toISOString(),
    };
  }

  const scores: ScoreResult[] = [];
  let scoreError: string | null = null;
  for (const scorer of context.scorers) {
    try {
      scores.push(
        await scorer.score({
          output: answer.text,
          idealOutput: row.idealOutput,
          variables: row.variables,
          prompt: promptText,
          evalRunId: context.runId,
          traceId,
          ...(context.tags === undefined ? {} : { tags: context.tags }),
          ...(context.signal === undefined ? {} : { signal: context.signal }),
        }),
      );
    } catch (error) {
      if (isStopError(error, context.signal)) throw error;
      // Later scorers are skipped so that scores[0] is always the run's first (primary) scorer.
      scoreError = `${scorer.name}: ${error instanceof Error ? error.message : String(error)}`;
      break;
    }
  }
  return {
    ...base,
    status: 'ok',
    modelOutput: answer.text,
    errorClass: null,
    errorMessage: null,
    callId: answer.callId,
    attempts: answer.attempts,
    inputTokens: answer.usage.inputTokens,
    cachedInputTokens: answer.usage.cachedInputTokens,
    outputTokens: answer.usage.outputTokens,
    costUsd: answer.costUsd,
    latencyMs: answer.latencyMs,
    scores,
    scoreError,
    finishedAt: deps.now().toISOString(),
  };
}
