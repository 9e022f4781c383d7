import type { StoreContext } from '../schema.ts';
import { evalsDb } from './eval-tables.ts';

/** The key of one cell: dataset row, model and prompt version. */
export function evalCellKey(row: number, model: string, promptVersion: string): string {
  return `${row}\u0000${model}\u0000${promptVersion}`;
}

/**
 * The cells of a run that already have a result (see {@link evalCellKey}): what a resumed run
 * skips. Only the key columns are read.
 *
 * @example
 * const done = await finishedEvalCells(context, runId);
 * if (done.has(evalCellKey(row, model, version))) continue;
 */
export async function finishedEvalCells(context: StoreContext, runId: string): Promise<Set<string>> {
  const rows = await evalsDb(context)
    .selectFrom('eval_results')
    .select(['dataset_row', 'model', 'prompt_version'])
    .where('run_id', '=', runId)
    .execute();
  return new Set(rows.map((row) => evalCellKey(Number(row.dataset_row), row.model, row.prompt_version)));
}
