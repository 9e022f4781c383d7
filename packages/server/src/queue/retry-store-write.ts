import { setTimeout as sleep } from 'node:timers/promises';
import { retryWithBackoff } from '@reins/client';

/** Waits between the attempts of a settling write: about 4 s in all, well inside a lease. */
export const STORE_WRITE_RETRY_DELAYS_MS: readonly number[] = [100, 400, 1_000, 2_500];

/**
 * Retries a write that settles a task (finish, re-queue) through a transient store error: SQLite
 * answering `database is locked` after its busy timeout, a PostgreSQL connection reset. Giving up
 * at once left the task running until its lease expired and then ran it again (another LLM call,
 * tens of seconds late); the writes are conditional on the worker still holding the task, so a
 * repeat of one that did land changes nothing. `onRetry` sees each failure before the wait.
 *
 * @example
 * const finished = await retryStoreWrite(() => tasks.finish(id, finish), {
 *   onRetry: (error) => logger.warn({ err: error }, 'task finish failed; retrying'),
 * });
 */
export function retryStoreWrite<T>(
  write: () => Promise<T>,
  options: {
    delaysMs?: readonly number[];
    onRetry?: (error: unknown, attempt: number) => void;
    wait?: (milliseconds: number) => Promise<void>;
  } = {},
): Promise<T> {
  const delays = options.delaysMs ?? STORE_WRITE_RETRY_DELAYS_MS;
  const wait = options.wait ?? ((milliseconds: number) => sleep(milliseconds).then(() => {}));
  return retryWithBackoff(() => write(), {
    shouldRetry: (_error, attempt) => delays[attempt - 1],
    sleep: (milliseconds) => wait(milliseconds),
    onRetry: (error, attempt) => options.onRetry?.(error, attempt),
  });
}
