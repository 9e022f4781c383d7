import type { LlmService } from '../services/llm-service.ts';
import { batchTaskKind } from './batch-task-kind.ts';
import { GenerateTaskInputSchema, TemplateTaskInputSchema } from './contracts.ts';
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
 * requests through the client's `map`, progress reported and results checkpointed as items
 * settle, so a retried batch resumes; see `batchTaskKind`). Processors are thin:
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
    batch: batchTaskKind(llm),
  };
}
