import type { StoreContext } from '../schema.ts';
import { cancelTask } from './cancel-task.ts';
import { type ClaimOptions, claimNextTask, claimTasks, startTask } from './claim-task.ts';
import { countTasks } from './count-tasks.ts';
import { deleteFinishedTasks } from './delete-finished-tasks.ts';
import { getTask } from './get-task.ts';
import { insertTask, type NewTask } from './insert-task.ts';
import { listTasks, type TaskFilter, type TaskPage } from './list-tasks.ts';
import { type FinishTask, finishTask, requeueTask, updateTaskProgress } from './settle-task.ts';
import { recoverExpiredTasks, renewTaskLeases } from './task-leases.ts';
import type { TaskFailure, TaskRecord, TaskStatus } from './task-record.ts';

/**
 * The task functions bound to one store, for the queue implementations.
 *
 * @example
 * const tasks = createTaskQueries({ db: store.db, dialect: store.dialect });
 * const task = await tasks.insert({ id, kind: 'generate', … });
 */
export function createTaskQueries(context: StoreContext) {
  return {
    insert: (task: NewTask): Promise<TaskRecord> => insertTask(context, task),
    get: (id: string): Promise<TaskRecord | null> => getTask(context, id),
    list: (filter?: TaskFilter): Promise<TaskPage> => listTasks(context, filter),
    claimNext: (options: ClaimOptions): Promise<TaskRecord | null> => claimNextTask(context, options),
    claim: (options: ClaimOptions & { limit: number }): Promise<TaskRecord[]> => claimTasks(context, options),
    start: (id: string, options: ClaimOptions): Promise<TaskRecord | null> => startTask(context, id, options),
    finish: (id: string, finish: FinishTask): Promise<TaskRecord | null> => finishTask(context, id, finish),
    requeue: (
      id: string,
      options: {
        workerId: string;
        mode: 'retry' | 'release';
        error?: TaskFailure;
        runAfter?: string;
        now: string;
      },
    ): Promise<TaskRecord | null> => requeueTask(context, id, options),
    progress: (id: string, progress: unknown, now: string): Promise<void> =>
      updateTaskProgress(context, id, progress, now),
    cancel: (id: string, now: string): Promise<TaskRecord | null> => cancelTask(context, id, now),
    renewLeases: (workerId: string, ids: string[], leaseUntil: string, now: string): Promise<Set<string>> =>
      renewTaskLeases(context, workerId, ids, leaseUntil, now),
    recoverExpired: (now: string): Promise<{ requeued: string[]; failed: string[] }> =>
      recoverExpiredTasks(context, now),
    deleteFinished: (before: string): Promise<number> => deleteFinishedTasks(context, before),
    count: (owner?: string): Promise<Record<TaskStatus, number>> => countTasks(context, owner),
  };
}

export type TaskQueries = ReturnType<typeof createTaskQueries>;
