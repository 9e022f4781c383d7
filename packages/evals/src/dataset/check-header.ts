import { IDEAL_OUTPUT, looseColumnName } from './dataset-columns.ts';
import type { DatasetProblem } from './dataset-problem.ts';
import type { ResolvedDatasetSpec } from './dataset-spec.ts';
import { INVALID_BYTE_MARK } from './normalize-utf8.ts';

/**
 * The columns a dataset must have: every required variable, and `ideal_output` unless the spec
 * waives it.
 */
export function requiredColumns(spec: ResolvedDatasetSpec): string[] {
  return spec.requireIdealOutput ? [...spec.variables, IDEAL_OUTPUT] : [...spec.variables];
}

/**
 * Checks a CSV header against the spec: duplicate names, required columns that are missing (with
 * a suggestion when a column differs only in case, spaces or dashes), bad bytes in a name.
 * Surrounding spaces in names are ignored; a column with an empty name is ignored.
 *
 * @example
 * checkHeader(['Contract Title', 'ideal_output'], spec) // → missing 'contract_title' (did you mean 'Contract Title'?)
 */
export function checkHeader(header: string[], spec: ResolvedDatasetSpec): DatasetProblem[] {
  const problems: DatasetProblem[] = [];
  const names = header.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') continue;
    if (name.includes(INVALID_BYTE_MARK)) {
      problems.push(headerProblem('invalid-encoding', name, 'the column name has bytes that are not UTF-8'));
    }
    if (seen.has(name))
      problems.push(headerProblem('duplicate-column', name, 'the column appears more than once'));
    seen.add(name);
  }
  for (const column of requiredColumns(spec)) {
    if (seen.has(column)) continue;
    const near = names.find((name) => name !== '' && looseColumnName(name) === looseColumnName(column));
    const hint = near === undefined ? '' : ` (did you mean '${near}'? names must match exactly)`;
    problems.push(headerProblem('missing-column', column, `required column is missing${hint}`));
  }
  return problems;
}

function headerProblem(kind: DatasetProblem['kind'], column: string, message: string): DatasetProblem {
  return { kind, row: null, line: 1, column, message };
}
