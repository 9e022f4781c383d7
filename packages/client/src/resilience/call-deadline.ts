import { TimeoutError } from '../errors/timeout-error.ts';

/**
 * The whole-call deadline (`timeout.totalMs`): a signal that fires with the caller's reason when
 * the caller aborts, or with a non-retryable `TimeoutError` (`limit: 'total'`) when time is up.
 * It spans attempts, backoff waits, limiter queues and fallbacks.
 *
 * @example
 * const deadline = startCallDeadline(options.signal, 60_000, now);
 * try { … deadline.signal … } finally { deadline.dispose() }
 */
export function startCallDeadline(
  callerSignal: AbortSignal | undefined,
  totalMs: number,
  now: () => number,
): { signal: AbortSignal; deadlineAt: number; dispose(): void } {
  const controller = new AbortController();
  const deadlineAt = now() + totalMs;
  const onAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  else callerSignal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () =>
      controller.abort(
        new TimeoutError(`the call did not finish within totalMs (${totalMs} ms)`, {
          limit: 'total',
          timeoutMs: totalMs,
        }),
      ),
    totalMs,
  );
  // A pending deadline alone must not keep the process alive.
  timer.unref?.();
  return {
    signal: controller.signal,
    deadlineAt,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}
