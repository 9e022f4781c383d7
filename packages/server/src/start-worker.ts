import { createTaskQueries } from '@reins/store';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/config.ts';
import { ConfigError } from './config/config-error.ts';
import { type BullmqWorker, createBullmqWorker } from './queue/bullmq-worker.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';

export type RunningWorker = {
  worker: BullmqWorker;
  runtime: Runtime;
  /** Stops taking jobs, gives running tasks `shutdownGraceMs`, re-queues the rest, flushes the call log. */
  close(): Promise<void>;
};

/**
 * Starts a `reins worker`: the same runtime and task kinds as the server, taking tasks from
 * BullMQ on `REDIS_URL` and writing status, results and calls to the shared store.
 *
 * @example
 * const running = await startWorker(loadConfig(), { logger });
 * process.once('SIGTERM', () => running.close());
 */
export async function startWorker(
  config: Config,
  options: RuntimeOptions & { logger?: FastifyBaseLogger; workerId?: string } = {},
): Promise<RunningWorker> {
  if (config.redisUrl === undefined) {
    throw new ConfigError([
      {
        variable: 'REDIS_URL',
        message:
          'reins worker takes its tasks from Redis; set REDIS_URL (and the same DATABASE_URL as the server)',
      },
    ]);
  }
  const runtime = await createRuntime(config, options);
  let worker: BullmqWorker;
  try {
    worker = await createBullmqWorker({
      tasks: createTaskQueries({ db: runtime.store.db, dialect: runtime.store.dialect }),
      kinds: runtime.kinds,
      clock: runtime.clock,
      ids: runtime.ids,
      redisUrl: config.redisUrl,
      prefix: config.queue.prefix,
      concurrency: config.queue.concurrency,
      leaseMs: config.queue.leaseMs,
      logger: runtime.logger,
      ...(options.workerId === undefined ? {} : { workerId: options.workerId }),
      onFinished: (task) => runtime.metrics.tasks.inc({ kind: task.kind, status: task.status }),
    });
  } catch (error) {
    await runtime.close().catch(() => {});
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    worker,
    runtime,
    close() {
      closing ??= (async () => {
        await worker.close({ graceMs: config.shutdownGraceMs });
        await runtime.close();
      })();
      return closing;
    },
  };
}
