import type { PromptRegistry } from '@reins/prompts';
import { EvalsError } from '../evals-error.ts';
import type { PromptVersion } from './eval-run-config.ts';

/**
 * Turns version refs (`contract_summary`, `contract_summary@1.0.0`, `@1.1.0` short for the
 * template's own name) into the versions a run records. The label is the semver; a file with
 * uncommitted changes, or two refs with the same semver but different text, add a short hash so
 * results never mix two texts under one name.
 *
 * @example
 * resolvePromptVersions(prompts, 'contract_summary', ['contract_summary@1.0.0', 'contract_summary'])
 * // [{ ref: 'contract_summary@1.0.0', label: '1.0.0', hash }, { ref: 'contract_summary', label: '1.1.0+3f2a1c9', hash }]
 */
export function resolvePromptVersions(
  prompts: Pick<PromptRegistry, 'get'>,
  template: string,
  refs: readonly string[],
): PromptVersion[] {
  const wanted =
    refs.length === 0 ? [template] : refs.map((ref) => (ref.startsWith('@') ? template + ref : ref));
  const versions = wanted.map((ref) => {
    if (ref !== template && !ref.startsWith(`${template}@`)) {
      throw new EvalsError(`prompt version '${ref}' is not a version of '${template}'`);
    }
    const found = prompts.get(ref);
    const label = found.dirty === true ? `${found.version}+${found.hash.slice(0, 7)}` : found.version;
    return { ref, label, hash: found.hash };
  });
  const clashing = versions.filter((version) =>
    versions.some((other) => other.label === version.label && other.hash !== version.hash),
  );
  for (const version of clashing) {
    if (!version.label.includes('+')) version.label = `${version.label}+${version.hash.slice(0, 7)}`;
  }
  const labels = versions.map((version) => version.label);
  const repeated = labels.find((label, index) => labels.indexOf(label) !== index);
  if (repeated !== undefined) throw new EvalsError(`prompt version ${repeated} is listed twice`);
  return versions;
}
