import type { TaskRecord } from '@reins/store';
import { z } from 'zod';

export const TaskStatusSchema = z
  .enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'])
  .meta({ id: 'TaskStatus' });
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** `POST /v1/tasks`: what to run. `input`'s shape depends on `kind` and is checked against it. */
export const TaskCreateSchema = z
  .strictObject({
    kind: z.string().min(1).max(64).describe('generate | template | batch'),
    input: z.record(z.string(), z.unknown(), { error: 'expected an object: the input of the task kind' }),
    timeoutMs: z
      .int()
      .min(100)
      .max(86_400_000)
      .optional()
      .describe('per attempt; default REINS_TASK_TIMEOUT_MS'),
    priority: z.int().min(0).max(100).optional().describe('0-100, higher runs first; default 50'),
    maxAttempts: z.int().min(1).max(20).optional().describe('default REINS_TASK_MAX_ATTEMPTS'),
  })
  .meta({ id: 'TaskCreate' });
export type TaskCreate = z.infer<typeof TaskCreateSchema>;

export const TaskFailureSchema = z.object({ class: z.string(), message: z.string(), retryable: z.boolean() });

/** A task as the API shows it. */
export const TaskPublicSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: TaskStatusSchema,
    priority: z.number(),
    traceId: z.string(),
    input: z.unknown(),
    progress: z
      .unknown()
      .describe('kind-specific, e.g. { done, failed, inFlight, total, costUsd } for batch'),
    result: z.unknown(),
    error: TaskFailureSchema.nullable(),
    usage: z.unknown(),
    costUsd: z.number().nullable(),
    attempts: z.number(),
    maxAttempts: z.number(),
    timeoutMs: z.number(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    timings: z.object({
      queuedMs: z.number().nullable().describe('creation to first start'),
      runMs: z.number().nullable().describe('first start to finish'),
    }),
    links: z.object({ self: z.string(), cancel: z.string().optional() }),
  })
  .meta({ id: 'Task' });
export type TaskPublic = z.infer<typeof TaskPublicSchema>;

/** `202` answer of `POST /v1/tasks`. */
export const TaskAcceptedSchema = z
  .object({
    id: z.string(),
    status: TaskStatusSchema,
    links: z.object({ self: z.string(), cancel: z.string() }),
  })
  .meta({ id: 'TaskAccepted' });

const FINAL = new Set<TaskStatus>(['succeeded', 'failed', 'cancelled', 'timed_out']);

/** True once a task will not change any more. */
export function isFinalStatus(status: TaskStatus): boolean {
  return FINAL.has(status);
}

/**
 * The public view of a stored task: timings derived, owner and worker internals left out.
 *
 * @example
 * reply.send(toTaskPublic(await queue.get(id)));
 */
export function toTaskPublic(task: TaskRecord): TaskPublic {
  const created = Date.parse(task.createdAt);
  const started = task.startedAt === null ? null : Date.parse(task.startedAt);
  const finished = task.finishedAt === null ? null : Date.parse(task.finishedAt);
  const self = `/v1/tasks/${task.id}`;
  return {
    id: task.id,
    kind: task.kind,
    status: task.status,
    priority: task.priority,
    traceId: task.traceId,
    input: task.input,
    progress: task.progress,
    result: task.result,
    error: task.error,
    usage: task.usage,
    costUsd: task.costUsd,
    attempts: task.attempts,
    maxAttempts: task.maxAttempts,
    timeoutMs: task.timeoutMs,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    finishedAt: task.finishedAt,
    timings: {
      queuedMs: started === null ? null : started - created,
      runMs: started === null || finished === null ? null : finished - started,
    },
    links: isFinalStatus(task.status) ? { self } : { self, cancel: self },
  };
}
