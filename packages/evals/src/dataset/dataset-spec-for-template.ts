import type { PromptTemplate } from '@reins/prompts';
import type { DatasetSpec } from './dataset-spec.ts';

/**
 * The dataset a template needs: a column for every variable, non-empty where the template
 * requires it (no default, not optional), and `ideal_output`.
 *
 * @example
 * const spec = datasetSpecForTemplate(prompts.get('contract_summary'));
 * await validateDataset({ path: 'datasets/contract_summary.csv' }, spec);
 */
export function datasetSpecForTemplate(
  template: Pick<PromptTemplate, 'variables'>,
  options: { requireIdealOutput?: boolean } = {},
): DatasetSpec {
  return {
    variables: template.variables.filter((variable) => variable.required).map((variable) => variable.name),
    optionalVariables: template.variables
      .filter((variable) => !variable.required)
      .map((variable) => variable.name),
    requireIdealOutput: options.requireIdealOutput ?? true,
  };
}
