import type { TaskQueries, TaskRecord } from '@reins/store';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import type { IdGenerator } from '../ids.ts';
import type { BackoffOptions } from './backoff.ts';
import { coalescedWriter } from './coalesced-writer.ts';
import { prepareTask, type TaskDefaults } from './prepare-task.ts';
import { runTask, type TaskOutcome } from './run-task.ts';
import { settleTask } from './settle-task.ts';
import { TaskCancelledError, TaskReleasedError } from './task-errors.ts';
import type { TaskKinds, TaskQueue } from './task-queue.ts';

export type InProcessQueueOptions = {
  tasks: TaskQueries;
  kinds: TaskKinds;
  clock: Clock;
  ids: IdGenerator;
  defaults: TaskDefaults;
  /** Tasks run at once by this process. */
  concurrency: number;
  /** How long a running task's lease lasts; renewed at a third of it. Default 30 000. */
  leaseMs?: number;
  /** How often the store is polled for tasks this process was not told about (retries, other processes). Default 1000. */
  pollMs?: number;
  /** Finished tasks are deleted this long after they finished. */
  ttlMs: number;
  /** How often the TTL cleanup runs (default hourly). */
  cleanupEveryMs?: number;
  backoff?: BackoffOptions;
  /** This process, as recorded on the tasks it runs. */
  workerId?: string;
  logger?: FastifyBaseLogger;
  /** Called with every task that reached a final status here (metrics). */
  onFinished?(task: TaskRecord): void;
};

type Running = { controller: AbortController; done: Promise<void> };

/**
 * The default queue: durable, on the store. Tasks survive a restart; a task whose process died
 * is re-queued once its lease expires (or failed, when out of attempts); at most `concurrency`
 * run at once; each attempt has a timeout; retryable failures back off and retry; finished tasks
 * are deleted after `ttlMs`. Several processes may share one PostgreSQL store.
 *
 * @example
 * const queue = createInProcessQueue({ tasks: createTaskQueries(store), kinds, clock: systemClock,
 *   ids: uuidv7Ids(), defaults: { timeoutMs: 600_000, maxAttempts: 3 }, concurrency: 4, ttlMs: 7 * 86_400_000 });
 * await queue.start();
 * const task = await queue.submit({ kind: 'generate', input: { prompt: 'Hi' }, owner: 'local', traceId });
 */
export function createInProcessQueue(options: InProcessQueueOptions): TaskQueue {
  const { tasks, clock } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1_000;
  const workerId = options.workerId ?? `in-process-${process.pid}-${options.ids.next()}`;
  const running = new Map<string, Running>();
  const timers: NodeJS.Timeout[] = [];
  let started = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let maybeQueued = true;
  let claimedAt = 0;

  const iso = (offsetMs = 0) => new Date(clock.now() + offsetMs).toISOString();
  const log = (error: unknown, message: string) => options.logger?.error({ err: error }, message);

  /** Wakes the claim loop; `queued` says a task may have become runnable (submit, recovery). */
  function poke(queued = false): void {
    if (queued) maybeQueued = true;
    wake?.();
  }

  async function settle(task: TaskRecord, outcome: TaskOutcome): Promise<void> {
    const finished = await settleTask(task, outcome, { tasks, workerId, iso, logger: options.logger });
    if (finished !== null) options.onFinished?.(finished);
  }

  function launch(task: TaskRecord): void {
    const controller = new AbortController();
    const progress = coalescedWriter(
      (value) => tasks.progress(task.id, value, iso()),
      (error) => log(error, 'task progress write failed'),
    );
    const done = (async () => {
      try {
        const outcome = await runTask(task, {
          kinds: options.kinds,
          signal: controller.signal,
          onProgress: progress.push,
          backoff: options.backoff,
        });
        await progress.flush();
        await settle(task, outcome);
      } catch (error) {
        log(error, 'task settlement failed; the lease will expire and the task be recovered');
      } finally {
        running.delete(task.id);
        poke();
      }
    })();
    running.set(task.id, { controller, done });
  }

  // Claim slots together: one statement takes as many tasks as there are free slots. `maybeQueued`
  // is false once a claim came back short (nothing runnable left) and true again on a submit or
  // a recovery; a claim is also due every `pollMs` (a retry's delay passed, another process's
  // submit). So a finishing task wakes the loop without a pointless claim when the queue is
  // empty, while a backlog is claimed as fast as slots free up.
  const due = () => maybeQueued || performance.now() - claimedAt >= pollMs;

  async function fill(): Promise<void> {
    while (!stopping && due() && running.size < options.concurrency) {
      const free = options.concurrency - running.size;
      maybeQueued = false;
      claimedAt = performance.now();
      let claimed: TaskRecord[];
      try {
        claimed = await tasks.claim({ workerId, now: iso(), leaseUntil: iso(leaseMs), limit: free });
      } catch (error) {
        maybeQueued = true;
        throw error;
      }
      if (claimed.length === free) maybeQueued = true;
      for (const task of claimed) launch(task);
    }
  }

  async function run(): Promise<void> {
    while (!stopping) {
      let failed = false;
      try {
        await fill();
      } catch (error) {
        failed = true;
        log(error, 'claiming tasks failed');
      }
      if (stopping) return;
      // A submit or a finish between the last claim and here: claim again without sleeping
      // (after a failed claim, wait for the poll instead of spinning on a store that is down).
      if (!failed && due() && running.size < options.concurrency) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          maybeQueued = true;
          resolve();
        }, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  async function renewLeases(): Promise<void> {
    const ids = [...running.keys()];
    if (ids.length === 0) return;
    const held = await tasks.renewLeases(workerId, ids, iso(leaseMs), iso());
    // A task no longer held was cancelled (possibly by another process) or taken over.
    for (const id of ids) {
      if (!held.has(id)) running.get(id)?.controller.abort(new TaskCancelledError());
    }
  }

  async function recover(): Promise<void> {
    const { requeued, failed } = await tasks.recoverExpired(iso());
    if (requeued.length + failed.length > 0) {
      options.logger?.warn({ requeued, failed }, 'recovered tasks whose process stopped');
      poke(true);
    }
  }

  async function cleanup(): Promise<void> {
    const deleted = await tasks.deleteFinished(iso(-options.ttlMs));
    if (deleted > 0) options.logger?.info({ deleted }, 'deleted finished tasks past their TTL');
  }

  function every(ms: number, job: () => Promise<void>, name: string): void {
    const timer = setInterval(() => {
      job().catch((error) => log(error, `${name} failed`));
    }, ms);
    timer.unref();
    timers.push(timer);
  }

  return {
    mode: 'in-process',

    async submit(request) {
      const task = await tasks.insert(
        prepareTask(options.kinds, request, {
          id: options.ids.next(),
          now: iso(),
          defaults: options.defaults,
        }),
      );
      poke(true);
      return task;
    },

    get: (id) => tasks.get(id),
    list: (filter) => tasks.list(filter),
    counts: () => tasks.count(),

    async cancel(id) {
      const cancelled = await tasks.cancel(id, iso());
      if (cancelled === null) return tasks.get(id);
      running.get(id)?.controller.abort(new TaskCancelledError());
      return cancelled;
    },

    async start() {
      if (started) return;
      started = true;
      stopping = false;
      maybeQueued = true;
      await recover();
      await cleanup().catch((error) => log(error, 'task cleanup failed'));
      every(Math.max(50, Math.floor(leaseMs / 3)), renewLeases, 'lease renewal');
      every(Math.max(100, Math.floor(leaseMs / 2)), recover, 'task recovery');
      every(options.cleanupEveryMs ?? 3_600_000, cleanup, 'task cleanup');
      loop = run();
    },

    async stop(stopOptions = {}) {
      if (!started) return;
      stopping = true;
      poke();
      await loop;
      const graceMs = stopOptions.graceMs ?? 10_000;
      const all = () => Promise.all([...running.values()].map((entry) => entry.done));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      for (const entry of running.values()) entry.controller.abort(new TaskReleasedError());
      await all();
      for (const timer of timers.splice(0)) clearInterval(timer);
      started = false;
    },

    async ping() {
      await tasks.count();
    },
  };
}
