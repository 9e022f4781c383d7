import type { StoreContext } from '../schema.ts';
import { evalsDb } from './eval-tables.ts';

export type HumanScore = {
  runId: string;
  row: number;
  /** Only this model's result; default: every model and version of the row. */
  model?: string;
  promptVersion?: string;
  /** 1–5, or `null` to clear. */
  score: number | null;
  note?: string | null;
  /** ISO-8601 time of scoring. */
  now: string;
};

/**
 * Sets (or clears) a person's 1–5 score on a row's results, apart from the automatic scores.
 * Resolves to how many results were scored (0 when the row, model or version does not exist).
 *
 * @example
 * await setHumanScore(context, { runId, row: 12, model: 'openai/gpt-5.6-luna', score: 4, note: 'misses the cap', now });
 */
export async function setHumanScore(context: StoreContext, input: HumanScore): Promise<number> {
  if (input.score !== null && !(input.score >= 1 && input.score <= 5)) {
    throw new RangeError(`a human score is from 1 to 5, got ${input.score}`);
  }
  const outcome = await evalsDb(context)
    .updateTable('eval_results')
    .set({
      human_score: input.score,
      human_note: input.score === null ? null : (input.note ?? null),
      human_scored_at: input.score === null ? null : input.now,
    })
    .where((eb) => {
      const conditions = [eb('run_id', '=', input.runId), eb('dataset_row', '=', input.row)];
      if (input.model !== undefined) conditions.push(eb('model', '=', input.model));
      if (input.promptVersion !== undefined) conditions.push(eb('prompt_version', '=', input.promptVersion));
      return eb.and(conditions);
    })
    .executeTakeFirst();
  return Number(outcome.numUpdatedRows);
}
