import type { TaskFilter, TaskPage, TaskRecord } from '@reins/store';
import { ConflictError, NotFoundError } from '../errors/server-error.ts';
import { withoutCheckpoint } from '../queue/task-checkpoint.ts';
import type { TaskQueue } from '../queue/task-queue.ts';
import type { TaskCreate } from '../tasks/task.ts';
import { isFinalStatus } from '../tasks/task.ts';
import type { BudgetGuard } from './budget-guard.ts';

/** A task as its owner may see it: a resumable task's checkpoint is the queue's business. */
function visible(task: TaskRecord): TaskRecord {
  const progress = withoutCheckpoint(task.progress);
  return progress === task.progress ? task : { ...task, progress };
}

/**
 * Tasks as one key owner sees them: another owner's task is indistinguishable from a missing
 * one (404), so ids leak nothing.
 *
 * @example
 * const tasks = createTasksService({ queue });
 * const task = await tasks.submit('alice', traceId, { kind: 'generate', input: { prompt: 'Hi' } });
 */
export function createTasksService(options: { queue: TaskQueue; budget?: BudgetGuard }) {
  const { queue } = options;

  async function owned(owner: string, id: string): Promise<TaskRecord> {
    const task = await queue.get(id);
    if (task === null || task.owner !== owner) throw new NotFoundError('task', id, 'task-not-found');
    return visible(task);
  }

  return {
    async submit(owner: string, traceId: string, body: TaskCreate): Promise<TaskRecord> {
      await options.budget?.check(owner);
      return queue.submit({ ...body, owner, traceId });
    },

    get: owned,

    async list(owner: string, filter: Omit<TaskFilter, 'owner'>): Promise<TaskPage> {
      const page = await queue.list({ ...filter, owner });
      return { ...page, items: page.items.map(visible) };
    },

    async cancel(owner: string, id: string): Promise<TaskRecord> {
      const task = await owned(owner, id);
      if (isFinalStatus(task.status)) {
        throw new ConflictError(`task '${id}' already finished (${task.status})`, {
          taskStatus: task.status,
        });
      }
      const cancelled = await queue.cancel(id);
      if (cancelled === null) throw new NotFoundError('task', id, 'task-not-found');
      if (cancelled.status !== 'cancelled') {
        throw new ConflictError(`task '${id}' finished (${cancelled.status}) before it could be cancelled`, {
          taskStatus: cancelled.status,
        });
      }
      return visible(cancelled);
    },
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
