import type { TaskFilter, TaskPage, TaskRecord, TaskStatus } from '@reins/store';
import type { z } from 'zod';

/** Token usage a task reports; summed over every LLM call the task makes. */
export type TaskUsage = {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
};

/** What a processor gets besides its input. */
export type TaskContext = {
  /** Aborted on cancel, timeout and shutdown: pass it to every LLM call. */
  signal: AbortSignal;
  /** Stores progress (any JSON); cheap to call often, writes are coalesced. */
  progress(value: unknown): void;
  /** Adds an LLM call's usage and cost to the task's totals. */
  addUsage(usage: Partial<TaskUsage>, costUsd: number | null): void;
  task: { id: string; kind: string; owner: string; traceId: string; attempt: number; maxAttempts: number };
};

/**
 * A task kind: the schema its input must satisfy and the plain function that runs it. Throw an
 * error with `isRetryable: true` for a failure another attempt may fix.
 *
 * @example
 * const echo = defineTaskKind({
 *   input: z.object({ text: z.string() }),
 *   run: async (input, { signal }) => ({ text: input.text }),
 * });
 */
export type TaskKind<Input = unknown, Output = unknown> = {
  input: z.ZodType<Input>;
  run(input: Input, context: TaskContext): Promise<Output>;
};

/** Keeps a kind's input type attached to its processor. */
export function defineTaskKind<Input, Output>(kind: TaskKind<Input, Output>): TaskKind<Input, Output> {
  return kind;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds kinds of every input type.
export type TaskKinds = Record<string, TaskKind<any, unknown>>;

export type SubmitTask = {
  kind: string;
  input: unknown;
  owner: string;
  traceId: string;
  timeoutMs?: number;
  priority?: number;
  maxAttempts?: number;
};

/**
 * The task queue: durable in-process on the store, or BullMQ on Redis. Either way every task's
 * state lives in the store, so reads are the same in both modes.
 */
export type TaskQueue = {
  readonly mode: 'in-process' | 'bullmq';
  /** Validates the input against its kind and queues it; throws `RequestValidationError` naming the field. */
  submit(task: SubmitTask): Promise<TaskRecord>;
  get(id: string): Promise<TaskRecord | null>;
  list(filter?: TaskFilter): Promise<TaskPage>;
  /** Cancels a queued or running task (aborting its LLM calls). Null when the task does not exist. */
  cancel(id: string): Promise<TaskRecord | null>;
  counts(): Promise<Record<TaskStatus, number>>;
  /** Starts processing (in-process) or housekeeping (BullMQ producer). */
  start(): Promise<void>;
  /** Stops taking tasks; running ones get `graceMs` to finish, then go back to the queue. */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Rejects when the queue's backend cannot be reached. */
  ping(): Promise<void>;
};
