import { retryWithBackoff } from '../resilience/retry-with-backoff.ts';
import type { CallContext } from './call-context.ts';

/**
 * The call loop: runs attempts until one succeeds or the retry policy gives up (through the
 * generic `retryWithBackoff`). Each attempt is one provider request and records itself; this
 * loop only numbers them and waits between them (abortably: the wait ends with the caller's
 * reason or the total deadline). A wait that would pass the call's deadline is not started:
 * the last error is thrown at once.
 *
 * @example
 * const result = await runCall(call, () => generateAttempt(call));
 */
export function runCall<T>(call: CallContext, attempt: (number: number) => Promise<T>): Promise<T> {
  const runtime = call.runtime;
  // `structured` runs this loop once per re-ask: retries are counted within one loop.
  const first = call.attempts + 1;
  return retryWithBackoff(
    (number) => {
      call.attempts = number;
      return attempt(number);
    },
    {
      shouldRetry: (error, number) => {
        const delay = runtime.shouldRetry(error, number - first + 1);
        if (delay === undefined || runtime.now() + delay >= call.deadlineAt) return undefined;
        return delay;
      },
      sleep: runtime.sleep,
      signal: call.signal,
    },
    first,
  );
}
