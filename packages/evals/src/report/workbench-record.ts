import { IDEAL_OUTPUT, MODEL_OUTPUT, SCORE } from '../dataset/dataset-columns.ts';
import type { EvalResult } from '../run/eval-result.ts';
import { toFivePoint } from '../scorers/to-five-point.ts';

/** The columns after the variables, in order: the Workbench's, then what a run adds. */
export const RESULT_COLUMNS = [
  IDEAL_OUTPUT,
  MODEL_OUTPUT,
  SCORE,
  'model',
  'prompt_version',
  'cost_usd',
  'latency_ms',
  'row',
  'human_score',
  'error',
] as const;

/**
 * A result as one flat Workbench row: the template's variables, `ideal_output`, `model_output`,
 * `score` (the primary scorer on the 1–5 scale, empty when ungraded), then `model`,
 * `prompt_version`, `cost_usd`, `latency_ms`, the dataset `row`, the `human_score` (kept apart)
 * and the `error` of a failed row. Re-imports as a dataset.
 *
 * @example
 * toWorkbenchRecord(result, ['contract_title', 'contract_content'])
 */
export function toWorkbenchRecord(result: EvalResult, variables: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const name of variables) record[name] = result.variables[name] ?? null;
  const primary = result.scores[0];
  record[IDEAL_OUTPUT] = result.idealOutput;
  record[MODEL_OUTPUT] = result.modelOutput;
  record[SCORE] = primary === undefined ? null : toFivePoint(primary);
  record['model'] = result.model;
  record['prompt_version'] = result.promptVersion;
  record['cost_usd'] = result.costUsd;
  record['latency_ms'] = result.latencyMs === null ? null : Math.round(result.latencyMs);
  record['row'] = result.row;
  record['human_score'] = result.humanScore;
  record['error'] =
    result.status === 'error'
      ? `${result.errorClass ?? 'Error'}: ${result.errorMessage ?? ''}`
      : result.scoreError;
  return record;
}

/** A CSV cell: text as is, numbers without exponent notation, JSON for objects, empty for null. */
export function toCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  // Costs are often below 1e-6 USD, where String() would switch to exponent notation.
  return value.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
}
