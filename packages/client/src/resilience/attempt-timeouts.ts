import { TimeoutError } from '../errors/timeout-error.ts';

/**
 * Time limits per call. Defaults: `totalMs` 10 minutes (the whole call: attempts, backoff,
 * limiter waits and fallbacks), `firstTokenMs` 60 s (to the first content of a stream; a
 * non-streaming attempt, whose first byte is its whole answer, gets 60 s plus 50 ms per
 * `maxTokens`, see `firstTokenLimit`), `idleMs` 30 s (longest gap between stream chunks).
 */
export const DEFAULT_TIMEOUTS = { totalMs: 600_000, firstTokenMs: 60_000, idleMs: 30_000 };

/** Output tokens assumed when a non-streaming request sets no `maxTokens`. */
const UNBOUNDED_OUTPUT_TOKENS = 8_192;

/**
 * The default first-token limit when none is configured: 60 s for a stream; for a non-streaming
 * request 60 s plus 50 ms per possible output token (a slow 20 tokens/s), so a long answer is
 * not cut off and retried (and billed) for nothing, while a stalled provider still fails.
 *
 * @example
 * firstTokenLimit(false, 4_000) // 260_000
 */
export function firstTokenLimit(streaming: boolean, maxTokens: number | undefined): number {
  if (streaming) return DEFAULT_TIMEOUTS.firstTokenMs;
  return DEFAULT_TIMEOUTS.firstTokenMs + 50 * (maxTokens ?? UNBOUNDED_OUTPUT_TOKENS);
}

export type ResolvedTimeouts = { totalMs: number; firstTokenMs: number; idleMs: number };

/**
 * The per-attempt timers: the first-token limit until the first content, then the idle limit,
 * re-armed on every chunk (`timer.refresh()`, no allocation). Firing aborts the attempt's signal
 * with a retryable `TimeoutError` naming the limit.
 */
export type AttemptTimeouts = {
  readonly signal: AbortSignal;
  /** The first content arrived: switch from the first-token limit to the idle limit. */
  firstToken(): void;
  /** A chunk arrived: restart the idle limit. */
  progress(): void;
  dispose(): void;
};

/**
 * @example
 * const timeouts = startAttemptTimeouts(call.signal, { firstTokenMs: 10_000, idleMs: 5_000 }, 'openai/gpt-4o');
 * try { await provider.doGenerate({ ...request, signal: timeouts.signal }) } finally { timeouts.dispose() }
 */
export function startAttemptTimeouts(
  parent: AbortSignal | undefined,
  limits: { firstTokenMs: number; idleMs: number },
  model: string,
): AttemptTimeouts {
  const controller = new AbortController();
  // A plain signal linked to the parent by one listener: AbortSignal.any() builds a composite
  // signal that costs the SDK and undici a follow-up walk on every listener they add.
  const signal = controller.signal;
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  let limit: 'firstToken' | 'idle' = 'firstToken';
  let activity = 0;
  let pending: ReturnType<typeof setImmediate> | undefined;
  // Timers run before I/O callbacks in Node's event loop: after the loop was blocked (GC, a busy
  // neighbour), a limit can expire while the answer already waits in the socket. Aborting then
  // would throw away a response the provider has billed. So an expired limit gives pending I/O
  // one more turn and fires only if nothing arrived meanwhile.
  const expire = () => {
    const seen = activity;
    pending = setImmediate(() => {
      pending = undefined;
      if (activity === seen) abort();
    });
  };
  const abort = () => {
    const milliseconds = limit === 'firstToken' ? limits.firstTokenMs : limits.idleMs;
    controller.abort(
      new TimeoutError(
        limit === 'firstToken'
          ? `${model}: no answer within firstTokenMs (${milliseconds} ms)`
          : `${model}: the stream stalled for idleMs (${milliseconds} ms)`,
        { limit, timeoutMs: milliseconds },
      ),
    );
  };
  let timer: ReturnType<typeof setTimeout> = setTimeout(expire, limits.firstTokenMs);
  return {
    signal,
    firstToken() {
      if (limit === 'idle') return;
      activity++;
      limit = 'idle';
      clearTimeout(timer);
      timer = setTimeout(expire, limits.idleMs);
    },
    progress() {
      activity++;
      if (limit === 'idle') timer.refresh();
    },
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
      if (pending !== undefined) clearImmediate(pending);
    },
  };
}
