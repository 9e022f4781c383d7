import { z } from 'zod';
import type { GenerateBody } from '../llm/generate-request.ts';
import { UsageSchema } from '../llm/generate-response.ts';
import type { BatchItemResult, LlmService } from '../services/llm-service.ts';
import { type BatchTaskInput, BatchTaskInputSchema } from './contracts.ts';
import { resumable } from './task-checkpoint.ts';
import { defineTaskKind, type TaskContext, type TaskUsage } from './task-queue.ts';

/** Items of a budgeted batch run per `map` call: the budget reserves worst cases within one run. */
const BUDGET_WINDOW_PER_SLOT = 4;

const BatchItemResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('fulfilled'),
    text: z.string(),
    usage: UsageSchema,
    costUsd: z.number().nullable(),
    callId: z.string(),
  }),
  z.object({ status: z.literal('rejected'), error: z.object({ type: z.string(), message: z.string() }) }),
]);

/**
 * What a batch checkpoints as items settle: each settled item's result at its input index (null
 * while not settled) and what the settled items cost, failed attempts included.
 */
const BatchCheckpointSchema = z.object({
  results: z.array(BatchItemResultSchema.nullable()),
  costUsd: z.number(),
});
type BatchCheckpoint = z.infer<typeof BatchCheckpointSchema>;

function callContext(context: TaskContext) {
  return {
    owner: context.task.owner,
    traceId: context.task.traceId,
    taskId: context.task.id,
    signal: context.signal,
  };
}

/** The earlier attempt's checkpoint when it fits this input, else a fresh one. */
function startingPoint(context: TaskContext, total: number): BatchCheckpoint {
  const saved = BatchCheckpointSchema.safeParse(resumable(context) ? context.resumeFrom : undefined);
  if (saved.success && saved.data.results.length === total) return saved.data;
  return { results: new Array<BatchItemResult | null>(total).fill(null), costUsd: 0 };
}

const zeroUsage = (): TaskUsage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

/**
 * The `batch` task kind: many generate requests through the LLM service's `batch` (the client's
 * `map`), `concurrency` at a time, within `budgetUsd`. Resumable: each item's result is
 * checkpointed with the task's progress as it settles, and a later attempt (retry, re-run after a
 * crash, re-delivery after shutdown) runs only the items not settled yet, so no answered item is
 * paid for twice; results stay in input order and usage and cost add up over every attempt.
 *
 * Without a budget every item is its own one-item run, so each settles (and is checkpointed) on
 * its own. With a budget, items run in windows of `concurrency × 4` through one run each, with
 * the budget left: the client's budget reserves each call's worst case against the calls in
 * flight, which only one run can do; a window is checkpointed when it ends.
 *
 * @example
 * const kinds = { batch: batchTaskKind(llm) };
 */
export function batchTaskKind(llm: LlmService) {
  return defineTaskKind({
    input: BatchTaskInputSchema,
    run: (input, context) => runBatch(llm, input, context),
  });
}

async function runBatch(llm: LlmService, input: BatchTaskInput, context: TaskContext) {
  const total = input.items.length;
  const concurrency = input.concurrency ?? 8;
  const state = startingPoint(context, total);
  const { results } = state;
  let done = 0;
  let failed = 0;
  let inFlight = 0;
  for (const result of results) {
    if (result === null) continue;
    done += 1;
    if (result.status === 'rejected') failed += 1;
    // What earlier attempts spent belongs to this task's totals too.
    else context.addUsage(result.usage, null);
  }
  if (state.costUsd > 0) context.addUsage({}, state.costUsd);

  const report = () => context.progress({ done, failed, inFlight, total, costUsd: state.costUsd });
  const checkpoint = () => {
    if (resumable(context)) context.checkpoint(state);
  };
  report();

  const settle = (index: number, result: BatchItemResult | undefined, costUsd: number) => {
    inFlight -= 1;
    // Billed attempts count whatever became of the item; a failure caused by the abort itself
    // (cancel, shutdown) is not an answer, so the item stays unsettled for a later attempt.
    if (costUsd > 0 || result?.status === 'fulfilled') {
      context.addUsage(result?.status === 'fulfilled' ? result.usage : {}, costUsd);
    }
    state.costUsd += costUsd;
    if (result !== undefined && (result.status === 'fulfilled' || !context.signal.aborted)) {
      results[index] = result;
      done += 1;
      if (result.status === 'rejected') failed += 1;
    }
    checkpoint();
    report();
  };

  const pending = results.flatMap((result, index) => (result === null ? [index] : []));
  const run = (indexes: number[], options: Parameters<LlmService['batch']>[1]) =>
    llm.batch(
      indexes.map((index) => input.items[index] as GenerateBody),
      options,
      callContext(context),
    );

  if (input.budgetUsd === undefined) {
    let next = 0;
    const lane = async () => {
      while (next < pending.length && !context.signal.aborted) {
        const index = pending[next++]!;
        inFlight += 1;
        const outcome = await run([index], { concurrency: 1 });
        settle(index, outcome.results[0], outcome.costUsd);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, lane));
  } else {
    const window = concurrency * BUDGET_WINDOW_PER_SLOT;
    for (let start = 0; start < pending.length && !context.signal.aborted; start += window) {
      const indexes = pending.slice(start, start + window);
      inFlight += indexes.length;
      const outcome = await run(indexes, {
        concurrency,
        budgetUsd: input.budgetUsd - state.costUsd,
        onProgress: (window) =>
          context.progress({
            done: done + window.done,
            failed: failed + window.failed,
            inFlight: window.inFlight,
            total,
            costUsd: state.costUsd + window.costUsd,
          }),
      });
      indexes.forEach((index, position) => {
        // The run's cost is booked once, with its first item.
        settle(index, outcome.results[position], position === 0 ? outcome.costUsd : 0);
      });
    }
  }

  // Cancel, timeout and shutdown are the queue's to report (and a shutdown re-queues).
  if (context.signal.aborted) throw context.signal.reason;
  const finalResults = results as BatchItemResult[];
  const usage = zeroUsage();
  for (const result of finalResults) {
    if (result.status !== 'fulfilled') continue;
    for (const key of Object.keys(usage) as Array<keyof TaskUsage>) usage[key] += result.usage[key];
  }
  // Done: nothing left to resume, so the stored progress is just the progress.
  if (resumable(context)) context.checkpoint(undefined);
  report();
  return { results: finalResults, usage, costUsd: state.costUsd };
}
