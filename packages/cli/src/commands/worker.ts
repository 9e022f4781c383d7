import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, startWorker } from '@reins/server';
import { pino } from 'pino';
import { stopOnSignals } from './stop-on-signals.ts';

const USAGE = `Usage: reins worker [--concurrency N]

Runs background tasks from the BullMQ queue on REDIS_URL, writing status, results and the call
log to DATABASE_URL (use the same values as 'reins serve'). Run as many as you like, on any
machine. Configuration as for 'reins serve' (environment and ./.env). The per-model rate limits
and circuit breakers are shared in Redis by every worker and server (REINS_SHARED_LIMITS=false
keeps them per process).

Options:
  --concurrency N   tasks run at once by this worker (overrides REINS_QUEUE_CONCURRENCY)`;

/**
 * `reins worker`: processes tasks until SIGINT/SIGTERM, which let running tasks finish (up to
 * REINS_SHUTDOWN_GRACE_MS) and hand the rest back to the queue.
 *
 * @example
 * await run(['--concurrency', '8']);
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let running: Awaited<ReturnType<typeof startWorker>>;
  let logger: ReturnType<typeof pino>;
  try {
    const config = loadConfig({
      env: {
        ...process.env,
        ...(values.concurrency === undefined ? {} : { REINS_QUEUE_CONCURRENCY: values.concurrency }),
      },
    });
    logger = pino({ level: config.logLevel, base: { service: 'reins-worker', pid: process.pid } });
    running = await startWorker(config, { logger });
    console.log(
      `reins worker: ${running.worker.workerId} taking tasks from Redis (concurrency ${config.queue.concurrency}, prefix ${config.queue.prefix}, rate limits and breakers ${config.sharedResilience ? 'shared in Redis' : 'per process'})`,
    );
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    throw error;
  }

  stopOnSignals(logger, 'shutting down: finishing running tasks', () => running.close());
}
