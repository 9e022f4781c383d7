/** The column holding the expected answer (Anthropic Workbench "Evaluate" layout). */
export const IDEAL_OUTPUT = 'ideal_output';
/** The column holding a model's answer, filled by a run or carried in from an earlier export. */
export const MODEL_OUTPUT = 'model_output';
/** The column holding a 1–5 score (Workbench: 1 poor … 5 excellent). */
export const SCORE = 'score';

/** Column names compared loosely, to suggest `ideal_output` for a header that says `Ideal Output`. */
export function looseColumnName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}
