import type { ClientRuntime } from '../core/client-runtime.ts';
import { generate } from '../core/generate.ts';
import type { GenerateRequest } from '../core/request.ts';
import type { GenerateResult } from '../core/result.ts';

/**
 * `parallel` options: `mode: 'all'` (default) rejects with the first failure and aborts the
 * other calls; `'settled'` waits for every call and returns each outcome.
 */
export type ParallelOptions = { mode?: 'all' | 'settled'; signal?: AbortSignal };

export type ParallelResults<Requests> = { [Key in keyof Requests]: GenerateResult };
export type ParallelSettled<Requests> = { [Key in keyof Requests]: PromiseSettledResult<GenerateResult> };

/**
 * Subtasks fan-out / fan-in: named requests run concurrently, results come back under the same
 * names.
 *
 * @example
 * const { overview, keyPoints } = await client.parallel({
 *   overview: { model, prompt: `Summarise: ${doc}` },
 *   keyPoints: { model, prompt: `List the key points: ${doc}` },
 * });
 */
export async function parallel<Requests extends Record<string, GenerateRequest>>(
  runtime: ClientRuntime,
  requests: Requests,
  options: ParallelOptions = {},
): Promise<ParallelResults<Requests> | ParallelSettled<Requests>> {
  const entries = Object.entries(requests);
  const controller = new AbortController();
  const signal =
    options.signal === undefined ? controller.signal : AbortSignal.any([options.signal, controller.signal]);
  const run = (request: GenerateRequest) =>
    generate(runtime, {
      ...request,
      signal: request.signal === undefined ? signal : AbortSignal.any([signal, request.signal]),
    });
  if (options.mode === 'settled') {
    const settled = await Promise.allSettled(entries.map(([, request]) => run(request)));
    return Object.fromEntries(
      entries.map(([key], index) => [key, settled[index]]),
    ) as ParallelSettled<Requests>;
  }
  try {
    const values = await Promise.all(entries.map(([, request]) => run(request)));
    return Object.fromEntries(
      entries.map(([key], index) => [key, values[index]]),
    ) as ParallelResults<Requests>;
  } catch (error) {
    // One failed: the others are no longer needed.
    controller.abort(error);
    throw error;
  }
}
