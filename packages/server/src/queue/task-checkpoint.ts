import type { TaskContext } from './task-queue.ts';

/**
 * The progress key under which a task's checkpoint is stored. Progress and checkpoint travel in
 * one store write (the task's `progress` column), so what a reader sees as done is never ahead
 * of what a later attempt will skip; the API strips the key (see `withoutCheckpoint`).
 */
export const CHECKPOINT_KEY = '$checkpoint';

/**
 * What `runTask` gives a processor on top of `TaskContext`: the state an earlier attempt of this
 * task saved, and the means to save it. A retry, a re-run after a crash (kill -9, lost lease) or
 * a re-delivery after shutdown starts from there instead of from scratch.
 *
 * @example
 * const saved = resumable(context) ? context.resumeFrom : undefined;
 * if (resumable(context)) context.checkpoint({ settled: [...] });
 */
export type CheckpointedTaskContext = TaskContext & {
  /** What an earlier attempt saved with `checkpoint`; undefined on a first attempt. */
  resumeFrom: unknown;
  /** Saves state (JSON) for a later attempt; written with the next progress, coalesced. `undefined` clears it. */
  checkpoint(value: unknown): void;
};

/** True when the context can checkpoint (every context `runTask` builds can). */
export function resumable(context: TaskContext): context is CheckpointedTaskContext {
  return typeof (context as Partial<CheckpointedTaskContext>).checkpoint === 'function';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The stored form: the progress object with the checkpoint under `CHECKPOINT_KEY`. */
export function withCheckpoint(progress: unknown, checkpoint: unknown): unknown {
  if (checkpoint === undefined) return progress;
  const base = isRecord(progress) ? progress : progress === undefined ? {} : { value: progress };
  return { ...base, [CHECKPOINT_KEY]: checkpoint };
}

/** The checkpoint inside stored progress, or undefined. */
export function checkpointOf(progress: unknown): unknown {
  return isRecord(progress) ? progress[CHECKPOINT_KEY] : undefined;
}

/** Stored progress as callers see it: without the checkpoint. */
export function withoutCheckpoint(progress: unknown): unknown {
  if (!isRecord(progress) || !(CHECKPOINT_KEY in progress)) return progress;
  const { [CHECKPOINT_KEY]: _checkpoint, ...rest } = progress;
  return rest;
}
