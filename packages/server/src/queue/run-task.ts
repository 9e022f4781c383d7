import type { TaskFailure, TaskRecord } from '@reins/store';
import { type BackoffOptions, retryDelayMs } from './backoff.ts';
import { type CheckpointedTaskContext, checkpointOf, withCheckpoint } from './task-checkpoint.ts';
import {
  isRetryableError,
  TaskCancelledError,
  TaskReleasedError,
  TaskTimeoutError,
  toTaskFailure,
} from './task-errors.ts';
import type { TaskKinds, TaskUsage } from './task-queue.ts';

/** What became of one attempt; the queue implementation turns it into a store update. */
export type TaskOutcome =
  | {
      type: 'finish';
      status: 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
      result?: unknown;
      error?: TaskFailure;
      usage: TaskUsage | null;
      costUsd: number | null;
    }
  | { type: 'retry'; error: TaskFailure; delayMs: number; usage: TaskUsage | null; costUsd: number | null }
  | { type: 'release' };

export type RunTaskOptions = {
  kinds: TaskKinds;
  /** Aborted with `TaskCancelledError` or `TaskReleasedError` by the queue. */
  signal: AbortSignal;
  onProgress(value: unknown): void;
  backoff?: BackoffOptions;
};

/**
 * Runs one attempt of a task: validates its input against the kind, gives the processor a signal
 * that aborts on timeout, cancel or shutdown (and what an earlier attempt checkpointed, see
 * `CheckpointedTaskContext`), and classifies the end. A processor that ignores
 * its signal does not hold the queue: the attempt ends when the signal fires.
 *
 * @example
 * const outcome = await runTask(task, { kinds, signal: controller.signal, onProgress });
 */
export async function runTask(task: TaskRecord, options: RunTaskOptions): Promise<TaskOutcome> {
  const kind = options.kinds[task.kind];
  let usage: TaskUsage | null = null;
  let costUsd: number | null = null;
  const totals = () => ({ usage, costUsd });
  if (kind === undefined) {
    return {
      type: 'finish',
      status: 'failed',
      error: {
        class: 'UnknownTaskKindError',
        message: `no processor for kind '${task.kind}'`,
        retryable: false,
      },
      ...totals(),
    };
  }
  const parsed = kind.input.safeParse(task.input);
  if (!parsed.success) {
    return {
      type: 'finish',
      status: 'failed',
      error: { class: 'TaskInputError', message: parsed.error.message, retryable: false },
      ...totals(),
    };
  }

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TaskTimeoutError(task.timeoutMs)), task.timeoutMs);
  const forward = () => controller.abort(options.signal.reason);
  if (options.signal.aborted) forward();
  else options.signal.addEventListener('abort', forward, { once: true });

  // Progress and checkpoint are one stored value; the earlier attempt's checkpoint is carried
  // until the processor replaces it, so a progress write never drops it.
  const resumeFrom = checkpointOf(task.progress);
  let lastProgress: unknown;
  let lastCheckpoint: unknown = resumeFrom;
  const context: CheckpointedTaskContext = {
    signal: controller.signal,
    progress: (value) => {
      lastProgress = value;
      options.onProgress(withCheckpoint(lastProgress, lastCheckpoint));
    },
    resumeFrom,
    checkpoint: (value) => {
      lastCheckpoint = value;
      options.onProgress(withCheckpoint(lastProgress, lastCheckpoint));
    },
    addUsage: (added, cost) => {
      usage ??= {
        inputTokens: 0,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
      };
      for (const key of Object.keys(usage) as Array<keyof TaskUsage>) usage[key] += added[key] ?? 0;
      if (cost !== null) costUsd = (costUsd ?? 0) + cost;
    },
    task: {
      id: task.id,
      kind: task.kind,
      owner: task.owner,
      traceId: task.traceId,
      attempt: task.attempts,
      maxAttempts: task.maxAttempts,
    },
  };

  const aborted = new Promise<never>((_, reject) => {
    if (controller.signal.aborted) reject(controller.signal.reason);
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => {});
  try {
    const result = await Promise.race([kind.run(parsed.data, context), aborted]);
    return { type: 'finish', status: 'succeeded', result, ...totals() };
  } catch (error) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
    if (reason instanceof TaskReleasedError) return { type: 'release' };
    if (reason instanceof TaskCancelledError) {
      return { type: 'finish', status: 'cancelled', error: toTaskFailure(reason, false), ...totals() };
    }
    if (reason instanceof TaskTimeoutError) {
      return { type: 'finish', status: 'timed_out', error: toTaskFailure(reason, false), ...totals() };
    }
    const retryable = isRetryableError(error);
    if (retryable && task.attempts < task.maxAttempts) {
      return {
        type: 'retry',
        error: toTaskFailure(error, true),
        delayMs: retryDelayMs(task.attempts, options.backoff),
        ...totals(),
      };
    }
    return { type: 'finish', status: 'failed', error: toTaskFailure(error, retryable), ...totals() };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', forward);
  }
}
