import type { StoreContext } from '../schema.ts';
import { evalResultToRow, type NewEvalResult } from './eval-result-record.ts';
import { evalsDb } from './eval-tables.ts';

/**
 * Writes finished cells. A cell already stored (same run, row, model and prompt version) is
 * left as it is, so a resumed or retried write never duplicates a result. Resolves to how many
 * were new.
 *
 * @example
 * await insertEvalResults(context, [result]);
 */
export async function insertEvalResults(
  context: StoreContext,
  results: readonly NewEvalResult[],
): Promise<number> {
  if (results.length === 0) return 0;
  let inserted = 0;
  // Keeps each statement well under SQLite's bound-parameter limit (28 columns a row).
  for (let start = 0; start < results.length; start += 200) {
    const batch = results.slice(start, start + 200);
    const outcome = await evalsDb(context)
      .insertInto('eval_results')
      .values(batch.map(evalResultToRow))
      .onConflict((conflict) =>
        conflict.columns(['run_id', 'dataset_row', 'model', 'prompt_version']).doNothing(),
      )
      .executeTakeFirst();
    inserted += Number(outcome.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}
