import { z } from 'zod';
import { GenerateBodySchema, requestOptionsShape } from '../llm/generate-request.ts';

/*
 * The queue's contracts, in one place: the names both sides of Redis use and the payloads they
 * exchange, and the input schema of every task kind (the processors are in task-kinds).
 */

/** The BullMQ queue every server and `reins worker` shares (keys are under `REINS_QUEUE_PREFIX`). */
export const TASK_QUEUE_NAME = 'reins-tasks';

/** A BullMQ job only points at its task; the store holds the input, status and result. */
export const TaskJobSchema = z.object({ taskId: z.string().min(1) });
export type TaskJob = z.infer<typeof TaskJobSchema>;

/** Redis pub/sub channel on which the API tells workers to abort a running task. */
export function cancelChannel(prefix: string): string {
  return `${prefix}:${TASK_QUEUE_NAME}:cancel`;
}

/** The message on `cancelChannel`. */
export const CancelMessageSchema = z.object({ taskId: z.string().min(1) });

/** API priority (0-100, higher first) → BullMQ priority (1 = first). */
export function toBullmqPriority(priority: number): number {
  return 101 - Math.min(Math.max(Math.round(priority), 0), 100);
}

/** Input of the `generate` kind: exactly the body of `POST /v1/generate`. */
export const GenerateTaskInputSchema = GenerateBodySchema;

/** Input of the `template` kind: a template, its variables and the generate options. */
export const TemplateTaskInputSchema = z
  .strictObject({
    template: z.string().min(1).max(200),
    variables: z.record(z.string(), z.unknown()).optional(),
    model: requestOptionsShape.model,
    maxTokens: requestOptionsShape.maxTokens,
    temperature: requestOptionsShape.temperature,
    stop: requestOptionsShape.stop,
    metadata: requestOptionsShape.metadata,
    timeout: requestOptionsShape.timeout,
    cache: requestOptionsShape.cache,
  })
  .meta({ id: 'TemplateTaskInput' });

/** Most items one `batch` task takes. */
export const BATCH_MAX_ITEMS = 10_000;

/**
 * Input of the `batch` kind: up to 10,000 items, each the body of `POST /v1/generate` (a free
 * prompt or a template with its variables), run through the client's `map`.
 */
export const BatchTaskInputSchema = z
  .strictObject({
    items: z
      .array(GenerateBodySchema)
      .min(1)
      .max(BATCH_MAX_ITEMS)
      .describe('each the body of POST /v1/generate; results come back in this order'),
    concurrency: z.int().min(1).max(64).optional().describe('items in flight at once; default 8'),
    budgetUsd: z
      .number()
      .positive()
      .max(1_000_000)
      .optional()
      .describe("cap on this batch's spend; items past it are rejected with budget-exceeded"),
  })
  .meta({ id: 'BatchTaskInput' });
export type BatchTaskInput = z.infer<typeof BatchTaskInputSchema>;
