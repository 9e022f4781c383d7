import type { EvalsService } from '@reins/evals';
import { z } from 'zod';
import { ownerTag } from '../services/owner-tag.ts';
import { defineTaskKind } from './task-queue.ts';

/** Input of the `eval` kind: the stored run to execute (`POST /v1/evals` creates it). */
export const EvalTaskInputSchema = z
  .strictObject({ runId: z.string().min(1).max(100) })
  .meta({ id: 'EvalTaskInput' });

/**
 * The `eval` task kind: runs a stored eval run, reporting its progress. A retried attempt (after a
 * crash or a worker's shutdown) resumes the run where it stopped: finished cells are not run again.
 *
 * @example
 * const kinds = { ...createTaskKinds(llm), eval: evalTaskKind(evals) };
 */
export function evalTaskKind(evals: EvalsService) {
  return defineTaskKind({
    input: EvalTaskInputSchema,
    run: async (input, context) => {
      const outcome = await evals.execute(input.runId, {
        signal: context.signal,
        // The owner's tag scopes the calls in /v1/calls and counts them against the key's budget.
        tags: [ownerTag(context.task.owner)],
        onProgress: (progress) => context.progress(progress),
        onResult: (result) => {
          context.addUsage(
            {
              inputTokens: result.inputTokens,
              cachedInputTokens: result.cachedInputTokens,
              outputTokens: result.outputTokens,
            },
            result.costUsd,
          );
          for (const score of result.scores) {
            if (score.judge !== null) {
              context.addUsage(
                { inputTokens: score.judge.inputTokens, outputTokens: score.judge.outputTokens },
                score.judge.costUsd,
              );
            }
          }
        },
      });
      // Cancel, timeout and shutdown are the queue's to report (and a shutdown re-queues).
      if (context.signal.aborted) throw context.signal.reason;
      return { ...outcome.progress, status: outcome.run.status, stopReason: outcome.stopReason };
    },
  });
}
