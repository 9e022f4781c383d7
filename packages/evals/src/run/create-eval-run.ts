import { resolve } from 'node:path';
import { type EvalRunRecord, insertEvalRun } from '@reins/store';
import { type DatasetFormat, datasetFormat } from '../dataset/dataset-source.ts';
import { validateDataset } from '../dataset/validate-dataset.ts';
import { EvalsError } from '../evals-error.ts';
import { scorerNeedsIdealOutput } from '../scorers/scorer-needs-ideal-output.ts';
import type { ScorerSpec } from '../scorers/scorer-spec.ts';
import { datasetSpecForVersions } from './dataset-spec-for-versions.ts';
import type { EvalDeps } from './eval-deps.ts';
import { type EvalRunConfig, evalRunConfigSchema } from './eval-run-config.ts';
import { resolvePromptVersions } from './resolve-prompt-versions.ts';

/** What a person asks for; everything else is worked out and stored in the run's config. */
export type NewEvalRunInput = {
  dataset: string;
  format?: DatasetFormat;
  template: string;
  /** Version refs (`name@1.0.0`, `@1.0.0`); default: the template file as it is. */
  versions?: string[];
  models: string[];
  scorers: ScorerSpec[];
  /** The judge's model when a judge spec names none; default the first model. */
  judgeModel?: string;
  maxTokens?: number;
  temperature?: number;
  concurrency?: number | 'auto';
  budgetUsd?: number;
  name?: string;
  owner?: string;
  taskId?: string;
  /** `queued` when a task will run it later; default `running`. */
  status?: 'queued' | 'running';
};

/**
 * Prepares a run without calling any model: resolves the prompt versions, validates the whole
 * dataset against them (one `DatasetError` listing every problem), and returns the config.
 *
 * @example
 * const config = await planEvalConfig(deps, { dataset: 'datasets/contract_summary.csv', template: 'contract_summary',
 *   models: ['openai/gpt-5.6-luna'], scorers: [{ type: 'judge' }] });
 */
export async function planEvalConfig(
  deps: Pick<EvalDeps, 'prompts'>,
  input: NewEvalRunInput,
): Promise<EvalRunConfig> {
  const versions = resolvePromptVersions(deps.prompts, input.template, input.versions ?? []);
  const needsIdeal = input.scorers.some(scorerNeedsIdealOutput);
  const { spec, variables } = datasetSpecForVersions(deps.prompts, versions, needsIdeal);
  const path = resolve(input.dataset);
  const source = { path, ...(input.format === undefined ? {} : { format: input.format }) };
  const summary = await validateDataset(source, spec);
  const usesJudge = input.scorers.some((scorer) => scorer.type === 'judge' && scorer.model === undefined);
  const parsed = evalRunConfigSchema.safeParse({
    dataset: { ...summary, format: datasetFormat(source), path },
    template: input.template,
    versions,
    models: input.models,
    scorers: input.scorers,
    ...(usesJudge ? { judgeModel: input.judgeModel ?? input.models[0] } : {}),
    variables,
    ...(input.maxTokens === undefined ? {} : { maxTokens: input.maxTokens }),
    ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
    ...(input.concurrency === undefined ? {} : { concurrency: input.concurrency }),
    ...(input.budgetUsd === undefined ? {} : { budgetUsd: input.budgetUsd }),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`,
    );
    throw new EvalsError(`invalid eval run: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/**
 * Plans a run (see {@link planEvalConfig}) and records it in the store, ready for
 * `executeEvalRun`. Nothing is sent to a model.
 *
 * @example
 * const run = await createEvalRun(deps, { dataset, template: 'contract_summary', models, scorers: [{ type: 'judge' }] });
 * await executeEvalRun(deps, run.id, { onProgress });
 */
export async function createEvalRun(deps: EvalDeps, input: NewEvalRunInput): Promise<EvalRunRecord> {
  const config = await planEvalConfig(deps, input);
  return insertEvalRun(deps.store, {
    id: deps.generateId(),
    name: input.name ?? null,
    status: input.status ?? 'running',
    template: config.template,
    config,
    datasetName: config.dataset.name,
    datasetFingerprint: config.dataset.fingerprint,
    rowCount: config.dataset.rowCount,
    totalCells: config.dataset.rowCount * config.models.length * config.versions.length,
    owner: input.owner ?? null,
    taskId: input.taskId ?? null,
    now: deps.now().toISOString(),
  });
}
