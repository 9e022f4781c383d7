import type { ClientRuntime } from '../core/client-runtime.ts';
import { generate } from '../core/generate.ts';
import type { GenerateRequest } from '../core/request.ts';
import type { GenerateResult } from '../core/result.ts';
import { createBudget } from '../resilience/budget.ts';

/**
 * Progress of a `map` run, after every settled item.
 *
 * @example
 * onProgress: ({ done, total, costUsd, etaMs }) => console.log(`${done}/${total} $${costUsd} eta ${etaMs} ms`)
 */
export type MapProgress = {
  /** Settled items (fulfilled or rejected). */
  done: number;
  /** Of `done`, those rejected. */
  failed: number;
  inFlight: number;
  total: number;
  /** What this run's attempts cost so far (failed attempts that were billed included). */
  costUsd: number;
  /** Estimated time left from the mean pace so far; `null` before the first item settles. */
  etaMs: number | null;
};

/**
 * `map` options. `concurrency` (default 16) bounds the calls in flight; the rate limiter still
 * decides when each is sent, so a large concurrency runs at the account's limit, not into 429s.
 * `budgetUsd` caps this run (on top of the client's); `signal` stops it (items not yet started
 * are rejected with its reason).
 */
export type MapOptions = {
  concurrency?: number;
  budgetUsd?: number;
  signal?: AbortSignal;
  onProgress?: (progress: MapProgress) => void;
};

/**
 * Runs one request per item with bounded concurrency and returns settled results in input order.
 *
 * @example
 * const results = await client.map(reviews, (review) => ({ model: 'openai/gpt-5.6-luna', prompt: `Sentiment: ${review}` }),
 *   { concurrency: 32, budgetUsd: 2, onProgress: console.log });
 * const texts = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.text] : []));
 */
export async function map<Item>(
  runtime: ClientRuntime,
  items: readonly Item[],
  toRequest: (item: Item, index: number) => GenerateRequest,
  options: MapOptions = {},
): Promise<Array<PromiseSettledResult<GenerateResult>>> {
  const total = items.length;
  const results = new Array<PromiseSettledResult<GenerateResult>>(total);
  // A budget object also when unlimited: it is what adds up this run's cost.
  const budget = createBudget(options.budgetUsd ?? Number.POSITIVE_INFINITY);
  const startedAt = runtime.now();
  let next = 0;
  let done = 0;
  let failed = 0;
  let inFlight = 0;
  const report = () => {
    if (options.onProgress === undefined) return;
    const elapsed = runtime.now() - startedAt;
    options.onProgress({
      done,
      failed,
      inFlight,
      total,
      costUsd: budget.spentUsd,
      etaMs: done === 0 ? null : Math.round((elapsed / done) * (total - done)),
    });
  };
  const worker = async () => {
    while (next < total) {
      const index = next++;
      if (options.signal?.aborted) {
        results[index] = { status: 'rejected', reason: options.signal.reason };
        done += 1;
        failed += 1;
        continue;
      }
      inFlight += 1;
      try {
        const request = toRequest(items[index]!, index);
        const signal =
          options.signal === undefined
            ? request.signal
            : request.signal === undefined
              ? options.signal
              : AbortSignal.any([options.signal, request.signal]);
        const value = await generate(
          runtime,
          signal === undefined ? request : { ...request, signal },
          'generate',
          undefined,
          { budgets: [budget] },
        );
        results[index] = { status: 'fulfilled', value };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
        failed += 1;
      }
      inFlight -= 1;
      done += 1;
      report();
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 16, total));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
