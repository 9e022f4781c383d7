import type { Logger } from 'pino';

/**
 * SIGINT/SIGTERM close `running` once (exit 0 when it closed, 1 when closing failed); a second
 * signal exits at once with 1, for an operator who will not wait for the drain.
 *
 * @example
 * stopOnSignals(logger, 'shutting down: draining requests and tasks', () => running.close());
 */
export function stopOnSignals(
  logger: Pick<Logger, 'info' | 'warn' | 'error'>,
  message: string,
  close: () => Promise<void>,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, message);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
