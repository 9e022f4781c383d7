/**
 * What a retry policy answers for a failed attempt: wait `delayMs` and try again, or give up.
 */
export type RetryDecision = (error: unknown, attempt: number) => number | undefined;

export type RetryWithBackoffOptions = {
  /** Milliseconds to wait before the next attempt, or `undefined` to rethrow. */
  shouldRetry: RetryDecision;
  /** Abortable wait (injected so tests never sleep for real). */
  sleep: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** Aborting ends the wait, and no further attempt starts. */
  signal?: AbortSignal | undefined;
  /** Called before each wait: a chance to log or give up when the deadline is nearer. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
};

/**
 * The one generic retry loop (the AI SDK's `retryWithExponentialBackoff` shape): run, ask the
 * policy, wait abortably, run again. The policy decides everything (classes, jitter, headers).
 *
 * @example
 * const answer = await retryWithBackoff((attempt) => send(attempt), { shouldRetry: policy, sleep, signal });
 */
export async function retryWithBackoff<T>(
  run: (attempt: number) => Promise<T>,
  options: RetryWithBackoffOptions,
  firstAttempt = 1,
): Promise<T> {
  for (let attempt = firstAttempt; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const delayMs = options.shouldRetry(error, attempt);
      if (delayMs === undefined) throw error;
      options.onRetry?.(error, attempt, delayMs);
      await options.sleep(delayMs, options.signal);
    }
  }
}
