import { createTaskQueries } from '@reins/store';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Config } from './config/config.ts';
import type { AppDeps, ReadinessCheck } from './deps.ts';
import { createBullmqQueue } from './queue/bullmq-queue.ts';
import { createInProcessQueue } from './queue/in-process-queue.ts';
import type { TaskQueue } from './queue/task-queue.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';
import { createCallsService } from './services/calls-service.ts';
import { createTasksService } from './services/tasks-service.ts';

export type ServerDeps = {
  deps: AppDeps;
  runtime: Runtime;
  queue: TaskQueue;
  /** Stops the queue (running tasks get `graceMs`, then go back to the queue), then closes the runtime. */
  close(options?: { graceMs?: number }): Promise<void>;
};

/**
 * The production wiring of `createApp`'s deps: the runtime, the task queue (BullMQ when
 * `REDIS_URL` is set, else the in-process queue on the store), services and readiness probes.
 * The queue is started: in-process, this process runs tasks; with BullMQ, `reins worker` does.
 *
 * @example
 * const server = await createServerDeps(loadConfig(), { logger });
 * const app = await createApp(server.deps);
 * await app.listen({ port: server.deps.config.port, host: server.deps.config.host });
 */
export async function createServerDeps(
  config: Config,
  options: RuntimeOptions & { readiness?: Record<string, ReadinessCheck> } = {},
): Promise<ServerDeps> {
  let queue: TaskQueue | undefined;
  const runtime = await createRuntime(config, {
    ...options,
    metricsSources: {
      queueDepth: async () => (queue === undefined ? {} : queue.counts()),
      ...options.metricsSources,
    },
  });
  const { store, clock, ids, metrics } = runtime;
  const tasks = createTaskQueries({ db: store.db, dialect: store.dialect });
  const defaults = { timeoutMs: config.queue.timeoutMs, maxAttempts: config.queue.maxAttempts };
  const onFinished = (task: { kind: string; status: string }) =>
    metrics.tasks.inc({ kind: task.kind, status: task.status });
  queue =
    config.redisUrl === undefined
      ? createInProcessQueue({
          tasks,
          kinds: runtime.kinds,
          clock,
          ids,
          defaults,
          concurrency: config.queue.concurrency,
          leaseMs: config.queue.leaseMs,
          ttlMs: config.queue.ttlMs,
          logger: runtime.logger,
          onFinished,
        })
      : createBullmqQueue({
          tasks,
          kinds: runtime.kinds,
          clock,
          ids,
          defaults,
          redisUrl: config.redisUrl,
          prefix: config.queue.prefix,
          ttlMs: config.queue.ttlMs,
          logger: runtime.logger,
        });
  try {
    await queue.start();
  } catch (error) {
    await runtime.close().catch(() => {});
    throw error;
  }
  const started = queue;
  // Shared by the API servers for the per-key rate limit; a Redis outage must not hang requests.
  // Connected before the server takes requests: without the offline queue, a request that came
  // while the connection was still being made failed with a 500 (seen on a busy machine).
  const redis =
    config.redisUrl === undefined
      ? undefined
      : new Redis(config.redisUrl, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2_000,
          lazyConnect: true,
        });
  redis?.on('error', (error) => runtime.logger?.warn({ err: error }, 'redis (rate limit) error'));
  try {
    await redis?.connect();
  } catch (error) {
    redis?.disconnect();
    await started.stop({ graceMs: 0 }).catch(() => {});
    await runtime.close().catch(() => {});
    throw error;
  }
  const simulatorUrl = runtime.simulator?.url;
  const deps: AppDeps = {
    config,
    clock,
    ids,
    logger: runtime.logger,
    metrics,
    ...(runtime.callLines === undefined ? {} : { callLines: runtime.callLines }),
    readiness: {
      store: () => sql`select 1`.execute(store.db),
      queue: () => started.ping(),
      providers: async () => {
        if (simulatorUrl === undefined) return;
        const response = await fetch(`${simulatorUrl}/v1/models`, {
          headers: { authorization: 'Bearer sk-reins-simulator' },
        });
        if (!response.ok) throw new Error(`simulator answered ${response.status}`);
      },
      ...options.readiness,
    },
    llm: runtime.llm,
    prompts: runtime.prompts,
    calls: createCallsService({ store, queue: started }),
    tasks: createTasksService({ queue: started, budget: runtime.budget }),
    evals: runtime.evals,
    prices: runtime.client.prices,
    ...(redis === undefined ? {} : { redis }),
  };
  let closing: Promise<void> | undefined;
  return {
    deps,
    runtime,
    queue: started,
    close(closeOptions = {}) {
      closing ??= (async () => {
        await started.stop({ graceMs: closeOptions.graceMs ?? config.shutdownGraceMs });
        redis?.disconnect();
        await runtime.close();
      })();
      return closing;
    },
  };
}
