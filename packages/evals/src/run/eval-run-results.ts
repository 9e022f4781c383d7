import { type StoreContext, streamEvalResults } from '@reins/store';
import type { EvalResult } from './eval-result.ts';
import { fromStoredResult } from './stored-result.ts';

/**
 * A stored run's results in dataset order, a page at a time: feed it to `summarizeResults`,
 * `exportResultsCsv` or `compareRuns`.
 *
 * @example
 * const reports = await summarizeResults(evalRunResults(context, runId));
 */
export async function* evalRunResults(
  store: StoreContext,
  runId: string,
  filter: { model?: string; promptVersion?: string; status?: 'ok' | 'error' } = {},
): AsyncGenerator<EvalResult> {
  for await (const record of streamEvalResults(store, runId, filter)) yield fromStoredResult(record);
}
