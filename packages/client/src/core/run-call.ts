import type { CallContext } from './call-context.ts';

/**
 * The call loop: runs attempts until one succeeds or the retry policy gives up. Each attempt is
 * one provider request and records itself; this loop only numbers them and waits between them
 * (the wait ends early, with the caller's abort reason, when the call's signal fires). With the
 * default policy (no retries) a call makes exactly one attempt.
 *
 * @example
 * const result = await runCall(call, () => generateAttempt(call));
 */
export async function runCall<T>(call: CallContext, attempt: (number: number) => Promise<T>): Promise<T> {
  for (;;) {
    call.attempts += 1;
    try {
      return await attempt(call.attempts);
    } catch (error) {
      if (call.signal?.aborted) throw error;
      const delay = call.runtime.shouldRetry(error, call.attempts);
      if (delay === undefined) throw error;
      await call.runtime.sleep(delay, call.signal);
    }
  }
}
