import type { StoreContext } from '../schema.ts';
import { type EvalResultRecord, rowToEvalResult } from './eval-result-record.ts';
import { evalsDb } from './eval-tables.ts';

/** Where a page starts: after this cell, in (row, model, prompt version) order. */
export type EvalResultCursor = { row: number; model: string; promptVersion: string };

export type EvalResultFilter = {
  limit?: number;
  after?: EvalResultCursor;
  model?: string;
  promptVersion?: string;
  row?: number;
  status?: 'ok' | 'error';
};

/**
 * A page of a run's results in dataset order (row, then model, then prompt version).
 *
 * @example
 * const page = await listEvalResults(context, runId, { limit: 100 });
 * const next = await listEvalResults(context, runId, { limit: 100, after: page.at(-1) });
 */
export async function listEvalResults(
  context: StoreContext,
  runId: string,
  filter: EvalResultFilter = {},
): Promise<EvalResultRecord[]> {
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 5000);
  const after = filter.after;
  const rows = await evalsDb(context)
    .selectFrom('eval_results')
    .selectAll()
    .where((eb) => {
      const conditions = [eb('run_id', '=', runId)];
      if (filter.model !== undefined) conditions.push(eb('model', '=', filter.model));
      if (filter.promptVersion !== undefined)
        conditions.push(eb('prompt_version', '=', filter.promptVersion));
      if (filter.row !== undefined) conditions.push(eb('dataset_row', '=', filter.row));
      if (filter.status !== undefined) conditions.push(eb('status', '=', filter.status));
      if (after !== undefined) {
        conditions.push(
          eb(
            eb.refTuple('dataset_row', 'model', 'prompt_version'),
            '>',
            eb.tuple(after.row, after.model, after.promptVersion),
          ),
        );
      }
      return eb.and(conditions);
    })
    .orderBy('dataset_row')
    .orderBy('model')
    .orderBy('prompt_version')
    .limit(limit)
    .execute();
  return rows.map(rowToEvalResult);
}

/**
 * Every result of a run in dataset order, fetched a page at a time so memory stays flat.
 *
 * @example
 * for await (const result of streamEvalResults(context, runId)) csv.write(result);
 */
export async function* streamEvalResults(
  context: StoreContext,
  runId: string,
  filter: Omit<EvalResultFilter, 'after' | 'limit'> & { pageSize?: number } = {},
): AsyncGenerator<EvalResultRecord> {
  const { pageSize = 500, ...rest } = filter;
  let after: EvalResultCursor | undefined;
  for (;;) {
    const page = await listEvalResults(context, runId, {
      ...rest,
      limit: pageSize,
      ...(after ? { after } : {}),
    });
    yield* page;
    if (page.length < pageSize) return;
    const last = page.at(-1)!;
    after = { row: last.row, model: last.model, promptVersion: last.promptVersion };
  }
}
