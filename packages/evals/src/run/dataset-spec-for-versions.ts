import type { PromptRegistry } from '@reins/prompts';
import type { DatasetSpec } from '../dataset/dataset-spec.ts';
import type { PromptVersion } from './eval-run-config.ts';

/**
 * The dataset that serves every version of a run: a variable any version requires is required,
 * one that only some versions use (or that has a default) is optional. Also returns every
 * variable in template order, for the export's first columns.
 *
 * @example
 * const { spec, variables } = datasetSpecForVersions(prompts, [{ ref: 'legal_analysis' }], true);
 */
export function datasetSpecForVersions(
  prompts: Pick<PromptRegistry, 'get'>,
  versions: readonly Pick<PromptVersion, 'ref'>[],
  requireIdealOutput: boolean,
): { spec: DatasetSpec; variables: string[] } {
  const required = new Set<string>();
  const all: string[] = [];
  for (const version of versions) {
    for (const variable of prompts.get(version.ref).variables) {
      if (!all.includes(variable.name)) all.push(variable.name);
      if (variable.required) required.add(variable.name);
    }
  }
  return {
    spec: {
      variables: all.filter((name) => required.has(name)),
      optionalVariables: all.filter((name) => !required.has(name)),
      requireIdealOutput,
    },
    variables: all,
  };
}
