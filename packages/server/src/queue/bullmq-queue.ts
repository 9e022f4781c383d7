import type { TaskQueries } from '@reins/store';
import { Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { UnavailableError } from '../errors/server-error.ts';
import type { IdGenerator } from '../ids.ts';
import { cancelChannel, TASK_QUEUE_NAME, type TaskJob, toBullmqPriority } from './contracts.ts';
import { prepareTask, type TaskDefaults } from './prepare-task.ts';
import type { TaskKinds, TaskQueue } from './task-queue.ts';

/**
 * BullMQ attempts beyond the task's own limit. The store's attempt count is authoritative (it
 * also counts re-runs after a worker died); BullMQ only needs to keep re-delivering until the
 * worker decides the task is final.
 */
export const BULLMQ_ATTEMPT_SLACK = 10;

/** The backoff type whose delay the worker computes (see `createBullmqWorker`). */
export const REINS_BACKOFF = 'reins';

export type BullmqQueueOptions = {
  tasks: TaskQueries;
  kinds: TaskKinds;
  clock: Clock;
  ids: IdGenerator;
  defaults: TaskDefaults;
  redisUrl: string;
  /** Redis key prefix, so several deployments (or test runs) share one Redis. */
  prefix: string;
  ttlMs: number;
  cleanupEveryMs?: number;
  logger?: FastifyBaseLogger;
};

/**
 * The distributed queue's producer side (the API server): tasks go into the store and a BullMQ
 * job pointing at each goes into Redis; `reins worker` processes run them and write status and
 * results back to the store, where the API reads them as in the in-process mode.
 *
 * @example
 * const queue = createBullmqQueue({ tasks, kinds, clock: systemClock, ids: uuidv7Ids(),
 *   defaults: { timeoutMs: 600_000, maxAttempts: 3 }, redisUrl: 'redis://127.0.0.1:6379', prefix: 'reins', ttlMs });
 */
export function createBullmqQueue(options: BullmqQueueOptions): TaskQueue {
  const { tasks, clock } = options;
  // Fail fast when Redis is down: the API answers 503 instead of hanging the request.
  const queue = new Queue<TaskJob>(TASK_QUEUE_NAME, {
    connection: { url: options.redisUrl, enableOfflineQueue: false },
    prefix: options.prefix,
  });
  queue.on('error', (error) => options.logger?.error({ err: error }, 'bullmq queue error'));
  const publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  publisher.on('error', (error) => options.logger?.warn({ err: error }, 'redis publisher error'));
  const timers: NodeJS.Timeout[] = [];
  const iso = (offsetMs = 0) => new Date(clock.now() + offsetMs).toISOString();

  async function cleanup(): Promise<void> {
    const deleted = await tasks.deleteFinished(iso(-options.ttlMs));
    if (deleted > 0) options.logger?.info({ deleted }, 'deleted finished tasks past their TTL');
  }

  return {
    mode: 'bullmq',

    async submit(request) {
      const task = await tasks.insert(
        prepareTask(options.kinds, request, {
          id: options.ids.next(),
          now: iso(),
          defaults: options.defaults,
        }),
      );
      try {
        await queue.add(
          task.kind,
          { taskId: task.id },
          {
            jobId: task.id,
            priority: toBullmqPriority(task.priority),
            attempts: task.maxAttempts + BULLMQ_ATTEMPT_SLACK,
            backoff: { type: REINS_BACKOFF },
            removeOnComplete: true,
            removeOnFail: true,
          },
        );
      } catch (error) {
        await tasks.cancel(task.id, iso()).catch(() => {});
        throw new UnavailableError(
          `the task queue (Redis) is unavailable: ${error instanceof Error ? error.message : String(error)}`,
          {},
          5,
        );
      }
      return task;
    },

    get: (id) => tasks.get(id),
    list: (filter) => tasks.list(filter),
    counts: () => tasks.count(),

    async cancel(id) {
      const cancelled = await tasks.cancel(id, iso());
      if (cancelled === null) return tasks.get(id);
      // The worker running it aborts on this message (and, failing that, on its next lease renewal).
      await publisher
        .publish(cancelChannel(options.prefix), JSON.stringify({ taskId: id }))
        .catch((error) => options.logger?.warn({ err: error, task_id: id }, 'cancel message not published'));
      // A job still waiting is dropped; an active one is locked and left to its worker.
      await queue.remove(id).catch(() => {});
      return cancelled;
    },

    async start() {
      await cleanup().catch((error) => options.logger?.error({ err: error }, 'task cleanup failed'));
      const timer = setInterval(() => {
        cleanup().catch((error) => options.logger?.error({ err: error }, 'task cleanup failed'));
      }, options.cleanupEveryMs ?? 3_600_000);
      timer.unref();
      timers.push(timer);
    },

    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await queue.close();
      publisher.disconnect();
    },

    async ping() {
      if (publisher.status === 'wait') await publisher.connect();
      await publisher.ping();
    },
  };
}
