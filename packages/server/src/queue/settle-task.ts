import type { TaskQueries, TaskRecord } from '@reins/store';
import type { FastifyBaseLogger } from 'fastify';
import { retryStoreWrite } from './retry-store-write.ts';
import type { TaskOutcome } from './run-task.ts';

export type SettleTaskOptions = {
  tasks: TaskQueries;
  workerId: string;
  /** The queue's clock as an ISO timestamp, `offsetMs` from now. */
  iso(offsetMs?: number): string;
  logger?: FastifyBaseLogger;
};

/**
 * Writes an attempt's outcome to the store, the same way for both queues: released at shutdown →
 * queued again now; retry → queued again after its backoff; otherwise finished. A settling write
 * that fails on a transient store error is retried (the lease is still renewed meanwhile); only
 * when that fails too does the task wait for its lease to expire and run again. Resolves to the
 * finished record (null when the outcome re-queued the task or the task was no longer ours).
 *
 * @example
 * const finished = await settleTask(task, outcome, { tasks, workerId, iso, logger });
 * if (finished !== null) onFinished(finished);
 */
export async function settleTask(
  task: TaskRecord,
  outcome: TaskOutcome,
  options: SettleTaskOptions,
): Promise<TaskRecord | null> {
  const { tasks, workerId, iso, logger } = options;
  const persist = <T>(write: () => Promise<T>) =>
    retryStoreWrite(write, {
      onRetry: (error, attempt) =>
        logger?.warn({ err: error, task_id: task.id, attempt }, 'task settlement write failed; retrying'),
    });
  if (outcome.type === 'release') {
    await persist(() => tasks.requeue(task.id, { workerId, mode: 'release', now: iso() }));
    return null;
  }
  if (outcome.type === 'retry') {
    await persist(() =>
      tasks.requeue(task.id, {
        workerId,
        mode: 'retry',
        error: outcome.error,
        runAfter: iso(outcome.delayMs),
        now: iso(),
      }),
    );
    logger?.warn({ task_id: task.id, attempt: task.attempts, delay_ms: outcome.delayMs }, 'task will retry');
    return null;
  }
  return persist(() =>
    tasks.finish(task.id, {
      workerId,
      status: outcome.status,
      result: outcome.result,
      error: outcome.error ?? null,
      usage: outcome.usage,
      costUsd: outcome.costUsd,
      now: iso(),
    }),
  );
}
