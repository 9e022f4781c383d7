import { readDataset } from '../dataset/read-dataset.ts';
import { scorerNeedsIdealOutput } from '../scorers/scorer-needs-ideal-output.ts';
import { datasetSpecForVersions } from './dataset-spec-for-versions.ts';
import type { EvalDeps } from './eval-deps.ts';
import type { EvalRunConfig } from './eval-run-config.ts';
import { renderCell } from './run-cell.ts';

/** What a run would cost, per model and in all; no model is called. */
export type EvalRunPlan = {
  rows: number;
  cells: number;
  inputTokens: number;
  /** Input alone (every answer one token long). */
  minUsd: number;
  /** Input plus `maxTokens` of output for every cell. */
  maxUsd: number;
  /** `true` when an estimate is not exact (Anthropic's local count). */
  approximate: boolean;
  byModel: Array<{
    model: string;
    cells: number;
    inputTokens: number;
    minUsd: number;
    maxUsd: number;
    priced: boolean;
  }>;
  /** Judge calls are not estimated: their prompts hold answers not yet written. */
  judged: boolean;
};

/**
 * The dry run: renders every cell and asks the client for its estimate (tokens counted locally,
 * prices from the table), summing input tokens and a USD range from "answers of one token" to
 * "answers of `maxTokens`". Models without a known price are flagged `priced: false`.
 *
 * @example
 * const plan = await planEvalRun(deps, config);
 * console.log(`${plan.cells} cells, ~${plan.inputTokens} input tokens, $${plan.minUsd}–$${plan.maxUsd}`);
 */
export async function planEvalRun(
  deps: Pick<EvalDeps, 'client' | 'prompts'>,
  config: EvalRunConfig,
): Promise<EvalRunPlan> {
  const byModel = new Map(
    config.models.map((model) => [
      model,
      { model, cells: 0, inputTokens: 0, minUsd: 0, maxUsd: 0, priced: true },
    ]),
  );
  const { spec } = datasetSpecForVersions(
    deps.prompts,
    config.versions,
    config.scorers.some(scorerNeedsIdealOutput),
  );
  let rows = 0;
  let approximate = false;
  for await (const row of readDataset(config.dataset, spec)) {
    rows += 1;
    for (const version of config.versions) {
      for (const model of config.models) {
        const { request } = renderCell(deps, config, { row, version, model });
        const [full, least] = await Promise.all([
          deps.client.estimate(request),
          deps.client.estimate({ ...request, maxTokens: 1 }),
        ]);
        const entry = byModel.get(model)!;
        entry.cells += 1;
        entry.inputTokens += full.inputTokens;
        approximate ||= !full.exact;
        if (full.maxCostUsd === null || least.maxCostUsd === null) entry.priced = false;
        else {
          entry.maxUsd += full.maxCostUsd;
          entry.minUsd += least.maxCostUsd;
        }
      }
    }
  }
  const models = [...byModel.values()];
  return {
    rows,
    cells: models.reduce((sum, entry) => sum + entry.cells, 0),
    inputTokens: models.reduce((sum, entry) => sum + entry.inputTokens, 0),
    minUsd: models.reduce((sum, entry) => sum + entry.minUsd, 0),
    maxUsd: models.reduce((sum, entry) => sum + entry.maxUsd, 0),
    approximate,
    byModel: models,
    judged: config.scorers.some((scorer) => scorer.type === 'judge'),
  };
}
