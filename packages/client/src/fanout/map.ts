import type { z } from 'zod';
import type { ClientRuntime } from '../core/client-runtime.ts';
import { generate } from '../core/generate.ts';
import type { GenerateRequest } from '../core/request.ts';
import type { GenerateResult } from '../core/result.ts';
import { type StructuredRequest, type StructuredResult, structured } from '../core/structured.ts';
import { createBudget } from '../resilience/budget.ts';

/**
 * What a `map` task gets when an item needs more than one request (a generate then a judge, a
 * structured call…): `generate` and `structured` bound to this run's budget, cost and signal.
 *
 * @example
 * client.map(rows, (row) => async ({ generate, structured }) => {
 *   const answer = await generate({ model, prompt: row.question });
 *   return structured({ model: judge, prompt: `Grade: ${answer.text}`, schema: Grade });
 * });
 */
export type MapScope = {
  signal: AbortSignal | undefined;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  structured<Schema extends z.ZodType>(
    request: StructuredRequest<Schema>,
  ): Promise<StructuredResult<z.output<Schema>>>;
};

/** One item's work: a request for `generate`, or a task that makes its own calls through the scope. */
export type MapTask<Result> = GenerateRequest | ((scope: MapScope) => Promise<Result>);

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
 * Runs one request (or one task of several calls, see `MapScope`) per item with bounded
 * concurrency and returns settled results in input order.
 *
 * @example
 * const results = await client.map(reviews, (review) => ({ model: 'openai/gpt-5.6-luna', prompt: `Sentiment: ${review}` }),
 *   { concurrency: 32, budgetUsd: 2, onProgress: console.log });
 * const texts = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.text] : []));
 */
export async function map<Item, Result = GenerateResult>(
  runtime: ClientRuntime,
  items: readonly Item[],
  toTask: (item: Item, index: number) => MapTask<Result>,
  options: MapOptions = {},
): Promise<Array<PromiseSettledResult<Result>>> {
  const total = items.length;
  const results = new Array<PromiseSettledResult<Result>>(total);
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
        const task = toTask(items[index]!, index);
        const withSignal = <Request extends GenerateRequest>(request: Request): Request => {
          const signal =
            options.signal === undefined
              ? request.signal
              : request.signal === undefined
                ? options.signal
                : AbortSignal.any([options.signal, request.signal]);
          return signal === undefined ? request : { ...request, signal };
        };
        const scope = { budgets: [budget] };
        const value =
          typeof task === 'function'
            ? await task({
                signal: options.signal,
                generate: (request) => generate(runtime, withSignal(request), 'generate', undefined, scope),
                structured: (request) => structured(runtime, withSignal(request), scope),
              })
            : ((await generate(runtime, withSignal(task), 'generate', undefined, scope)) as Result);
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
