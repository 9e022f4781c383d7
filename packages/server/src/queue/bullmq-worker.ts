import { hostname } from 'node:os';
import type { TaskQueries, TaskRecord } from '@reins/store';
import { type Job, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import type { IdGenerator } from '../ids.ts';
import type { BackoffOptions } from './backoff.ts';
import { REINS_BACKOFF } from './bullmq-queue.ts';
import { coalescedWriter } from './coalesced-writer.ts';
import {
  CancelMessageSchema,
  cancelChannel,
  TASK_QUEUE_NAME,
  type TaskJob,
  TaskJobSchema,
} from './contracts.ts';
import { runTask } from './run-task.ts';
import { settleTask } from './settle-task.ts';
import { TaskCancelledError, TaskReleasedError } from './task-errors.ts';
import type { TaskKinds } from './task-queue.ts';

export type BullmqWorkerOptions = {
  tasks: TaskQueries;
  kinds: TaskKinds;
  clock: Clock;
  ids: IdGenerator;
  redisUrl: string;
  prefix: string;
  concurrency: number;
  /** BullMQ lock duration: a job whose worker died is re-delivered this long after. Default 30 000. */
  leaseMs?: number;
  backoff?: BackoffOptions;
  workerId?: string;
  logger?: FastifyBaseLogger;
  onFinished?(task: TaskRecord): void;
};

/** Thrown to BullMQ so it re-delivers the job later; `delayMs` feeds the `reins` backoff. */
class RedeliverError extends Error {
  readonly delayMs: number;

  constructor(message: string, delayMs: number) {
    super(message);
    this.name = 'RedeliverError';
    this.delayMs = delayMs;
  }
}

export type BullmqWorker = {
  readonly workerId: string;
  /** Stops taking jobs; running tasks get `graceMs` to finish, then go back to the queue. */
  close(options?: { graceMs?: number }): Promise<void>;
};

/**
 * A `reins worker`'s engine: takes BullMQ jobs, runs the registered processors with the same
 * semantics as the in-process queue (timeouts, retries, cancel, progress), and writes status
 * and results to the shared store. Cancel arrives over Redis pub/sub; a worker that dies
 * mid-task loses its lock and BullMQ re-delivers the job to another worker.
 *
 * @example
 * const worker = createBullmqWorker({ tasks, kinds, clock: systemClock, ids: uuidv7Ids(),
 *   redisUrl: process.env.REDIS_URL, prefix: 'reins', concurrency: 4 });
 * process.on('SIGTERM', () => worker.close({ graceMs: 10_000 }));
 */
export async function createBullmqWorker(options: BullmqWorkerOptions): Promise<BullmqWorker> {
  const { tasks, clock } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const workerId = options.workerId ?? `worker-${hostname()}-${process.pid}-${options.ids.next().slice(-8)}`;
  const running = new Map<string, AbortController>();
  const iso = (offsetMs = 0) => new Date(clock.now() + offsetMs).toISOString();
  const log = options.logger;

  async function processJob(job: Job<TaskJob>, _token?: string, jobSignal?: AbortSignal): Promise<void> {
    const { taskId } = TaskJobSchema.parse(job.data);
    const task = await tasks.start(taskId, { workerId, now: iso(), leaseUntil: iso(leaseMs) });
    if (task === null) return; // cancelled or deleted while it waited
    if (task.attempts > task.maxAttempts) {
      const finished = await tasks.finish(task.id, {
        workerId,
        status: 'failed',
        error: {
          class: 'TaskLostError',
          message: 'the worker running the task stopped; no attempts left',
          retryable: false,
        },
        now: iso(),
      });
      if (finished !== null) options.onFinished?.(finished);
      return;
    }
    const controller = new AbortController();
    running.set(task.id, controller);
    const release = () => controller.abort(new TaskReleasedError());
    jobSignal?.addEventListener('abort', release, { once: true });
    const progress = coalescedWriter(
      (value) => tasks.progress(task.id, value, iso()),
      (error) => log?.error({ err: error }, 'task progress write failed'),
    );
    try {
      const outcome = await runTask(task, {
        kinds: options.kinds,
        signal: controller.signal,
        onProgress: progress.push,
        backoff: options.backoff,
      });
      await progress.flush();
      // A transient store error on a settling write is retried while the job's lock still holds;
      // a re-queued task goes back to BullMQ as a redelivery (now, or after its backoff).
      const finished = await settleTask(task, outcome, { tasks, workerId, iso, logger: log });
      if (outcome.type === 'release') throw new RedeliverError('released at shutdown', 0);
      if (outcome.type === 'retry') throw new RedeliverError(outcome.error.message, outcome.delayMs);
      if (finished !== null) options.onFinished?.(finished);
    } finally {
      running.delete(task.id);
      jobSignal?.removeEventListener('abort', release);
    }
  }

  const worker = new Worker<TaskJob>(TASK_QUEUE_NAME, processJob, {
    connection: { url: options.redisUrl },
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: leaseMs,
    stalledInterval: Math.max(500, Math.floor(leaseMs / 2)),
    // Re-deliveries after a crash are counted (and limited) by the task's own attempts.
    maxStalledCount: 1_000,
    settings: {
      backoffStrategy: (_attemptsMade, type, error) =>
        type === REINS_BACKOFF && error instanceof RedeliverError ? error.delayMs : 1_000,
    },
  });
  worker.on('error', (error) => log?.error({ err: error }, 'bullmq worker error'));
  worker.on('failed', (job, error) => {
    // BullMQ gave up re-delivering (its attempts ran out): make the store say so too.
    if (job === undefined || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const { taskId } = job.data;
    void (async () => {
      const task = await tasks.start(taskId, { workerId, now: iso(), leaseUntil: iso(leaseMs) });
      if (task === null) return;
      await tasks.finish(taskId, {
        workerId,
        status: 'failed',
        error: { class: 'TaskDeliveryError', message: error.message, retryable: false },
        now: iso(),
      });
    })().catch((failure) => log?.error({ err: failure }, 'could not record a failed delivery'));
  });

  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  subscriber.on('error', (error) => log?.warn({ err: error }, 'redis subscriber error'));
  subscriber.on('message', (_channel, message) => {
    try {
      const { taskId } = CancelMessageSchema.parse(JSON.parse(message));
      running.get(taskId)?.abort(new TaskCancelledError());
    } catch (error) {
      log?.warn({ err: error }, 'malformed cancel message');
    }
  });
  await subscriber.subscribe(cancelChannel(options.prefix));

  // Lease renewal doubles as the fallback cancel signal: a task no longer held was cancelled.
  const heartbeat = setInterval(
    () => {
      const ids = [...running.keys()];
      if (ids.length === 0) return;
      tasks
        .renewLeases(workerId, ids, iso(leaseMs), iso())
        .then((held) => {
          for (const id of ids) if (!held.has(id)) running.get(id)?.abort(new TaskCancelledError());
        })
        .catch((error) => log?.error({ err: error }, 'lease renewal failed'));
    },
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  heartbeat.unref();
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  return {
    workerId,
    close(closeOptions = {}) {
      closing ??= (async () => {
        const graceMs = closeOptions.graceMs ?? 10_000;
        const closed = worker.close();
        let timer: NodeJS.Timeout | undefined;
        const late = await Promise.race([
          closed.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
        ]);
        clearTimeout(timer);
        if (late) for (const controller of running.values()) controller.abort(new TaskReleasedError());
        await closed;
        clearInterval(heartbeat);
        subscriber.disconnect();
      })();
      return closing;
    },
  };
}
