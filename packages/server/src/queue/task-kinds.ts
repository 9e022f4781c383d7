import type { LlmService } from '../services/llm-service.ts';
import { BatchTaskInputSchema, GenerateTaskInputSchema, TemplateTaskInputSchema } from './contracts.ts';
import { defineTaskKind, type TaskContext, type TaskKinds } from './task-queue.ts';

function callContext(context: TaskContext) {
  return {
    owner: context.task.owner,
    traceId: context.task.traceId,
    taskId: context.task.id,
    signal: context.signal,
  };
}

/**
 * The task kinds the server and `reins worker` run: `generate` (a generate request in the
 * background), `template` (render a template, then generate) and `batch` (many generate
 * requests through the client's `map`, progress reported as items settle). Processors are thin:
 * the LLM service does the work, with the task's signal, trace and id on every call.
 *
 * @example
 * const kinds = createTaskKinds(llm);
 * const queue = createInProcessQueue({ kinds, … });
 */
export function createTaskKinds(llm: LlmService): TaskKinds {
  return {
    generate: defineTaskKind({
      input: GenerateTaskInputSchema,
      run: async (input, context) => {
        const response = await llm.generate(input, callContext(context));
        context.addUsage(response.usage, response.costUsd);
        return response;
      },
    }),
    template: defineTaskKind({
      input: TemplateTaskInputSchema,
      run: async (input, context) => {
        const response = await llm.generate(
          { ...input, variables: input.variables ?? {} },
          callContext(context),
        );
        context.addUsage(response.usage, response.costUsd);
        return response;
      },
    }),
    batch: defineTaskKind({
      input: BatchTaskInputSchema,
      run: async (input, context) => {
        let answeredUsd = 0;
        const total = input.items.length;
        context.progress({ done: 0, failed: 0, inFlight: 0, total, costUsd: 0 });
        const outcome = await llm.batch(
          input.items,
          {
            concurrency: input.concurrency ?? 8,
            ...(input.budgetUsd === undefined ? {} : { budgetUsd: input.budgetUsd }),
            onProgress: (progress) => context.progress(progress),
            onItem: (response) => {
              answeredUsd += response.costUsd ?? 0;
              context.addUsage(response.usage, response.costUsd);
            },
          },
          callContext(context),
        );
        // Billed attempts of items that failed in the end count too (no usage of their own).
        const unanswered = outcome.costUsd - answeredUsd;
        if (unanswered > 1e-12) context.addUsage({}, unanswered);
        // Cancel, timeout and shutdown are the queue's to report (and a shutdown re-queues).
        if (context.signal.aborted) throw context.signal.reason;
        const failed = outcome.results.filter((result) => result.status === 'rejected').length;
        context.progress({ done: total, failed, inFlight: 0, total, costUsd: outcome.costUsd });
        return outcome;
      },
    }),
  };
}
