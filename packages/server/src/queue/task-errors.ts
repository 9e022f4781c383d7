import type { TaskFailure } from '@reins/store';

/** The abort reason when a task runs past its `timeoutMs`. */
export class TaskTimeoutError extends Error {
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`the task ran longer than its ${timeoutMs} ms timeout`);
    this.name = 'TaskTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The abort reason when a task is cancelled through the API. */
export class TaskCancelledError extends Error {
  constructor() {
    super('the task was cancelled');
    this.name = 'TaskCancelledError';
  }
}

/** The abort reason when the process stops before the task finished; the task is re-queued. */
export class TaskReleasedError extends Error {
  constructor() {
    super('the process running the task is shutting down');
    this.name = 'TaskReleasedError';
  }
}

/**
 * Whether another attempt may succeed: the error says so itself (`isRetryable`, as the client's
 * errors do, or `retryable`). Anything else is a bug or bad input, and retrying would repeat it.
 */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const flags = error as { isRetryable?: unknown; retryable?: unknown };
  return flags.isRetryable === true || flags.retryable === true;
}

/** The stored form of an error. */
export function toTaskFailure(error: unknown, retryable = isRetryableError(error)): TaskFailure {
  if (error instanceof Error) {
    // A subclass that did not set `name` still has a telling constructor name.
    const name = error.name === 'Error' ? error.constructor.name : error.name;
    return { class: name, message: error.message, retryable };
  }
  return { class: 'Error', message: String(error), retryable };
}
