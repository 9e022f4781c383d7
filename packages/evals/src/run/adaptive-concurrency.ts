/**
 * How many cells a run keeps in flight when the user does not say (`concurrency: 'auto'`).
 *
 * A fixed number is wrong one way or the other: too few and the run crawls far below the
 * accounts' rate limits; too many and the extra cells only wait (at the client's rate limiter,
 * in the provider's queue, or for a busy CPU) while holding their prompts, sockets and buffers:
 * memory grows and nothing finishes sooner. The number that fills the pipe and no more is the
 * throughput the bottleneck allows times the latency of a cell that does not wait (Little's
 * law), and neither is known up front: the limits may be learned from the first response, the
 * provider's latency depends on the model and the prompt, and the bottleneck may be the machine.
 *
 * So the limit is found the way TCP Vegas finds a congestion window, with rounds of about one
 * latency (one `limit` of settled cells). Each round's median cell latency is compared with the
 * lowest round median of the last `baseWindowMs` (the latency with no queue); the difference is
 * the queue the run has built, in cells: `queue = limit × (1 − base / median)`.
 *
 * - Starting up (from `initial`), the limit doubles every round until a queue over `alpha` forms.
 * - A queue under `alpha` (a tenth of the limit, at least 3): the pipe is not full, grow 10%.
 * - A queue over `beta` (twice that): cut half of the excess over `alpha`.
 * - In between, or when `canGrow` says no (the run's memory budget is reached): hold. `canGrow`
 *   is only asked past the highest limit held so far: after a cut the limit grows back to it.
 *
 * The base expires after `baseWindowMs`, so a provider that really
 * becomes slower is re-learned within that window instead of being mistaken for a queue forever:
 * when no round has matched the base for half the window, one round runs with the queue
 * drained, and its median becomes the base.
 * Nothing here is tuned to one provider: it only sees how long cells take.
 *
 * Known weakness: one median over every cell is the fastest model's when models differ in
 * latency, so a queue that only a slower model's cells see (at its rate limit) does not show,
 * and the limit can grow past what the pipe needs until `canGrow` stops it (docs/evals.md).
 *
 * @example
 * const concurrency = createAdaptiveConcurrency({ now: () => performance.now() });
 * await runPool(cells, work, { concurrency: () => concurrency.limit });
 * // in work(): concurrency.record(performance.now() - startedAt);
 */
export type AdaptiveConcurrency = {
  /** Cells the pool may have in flight now. */
  readonly limit: number;
  /** One settled cell's latency (start to settle, waits included). */
  record(latencyMs: number): void;
};

export type AdaptiveConcurrencyOptions = {
  now: () => number;
  /** Where to start (default 16). */
  initial?: number;
  /** Never below (default 4). */
  min?: number;
  /** Never above (default 1000). */
  max?: number;
  /** How long a round's median latency stays the base (default 30 s). */
  baseWindowMs?: number;
  /**
   * Asked before an increase past the highest limit held so far; `false` holds the limit there
   * (a memory budget reached). It never cuts: the latency does that, and after a cut the limit
   * may grow back to that highest one without asking.
   */
  canGrow?: () => boolean;
};

const GROWTH = 0.1;

export function createAdaptiveConcurrency(options: AdaptiveConcurrencyOptions): AdaptiveConcurrency {
  const min = options.min ?? 4;
  const max = options.max ?? 1_000;
  const baseWindowMs = options.baseWindowMs ?? 30_000;
  let limit = Math.min(max, Math.max(min, options.initial ?? 16));
  let startingUp = true;
  // The highest limit held so far: growing back to it needs no one's leave.
  let highest = limit;
  // This round's latencies: its median stands for it, so a few slow cells (a retry after a 429,
  // a GC pause, a long answer) do not read as a queue the way they would in a mean.
  let latencies: number[] = [];
  // Only cells started at the current limit tell what it does: the first ones to settle after a
  // change started before it.
  let changedAt = Number.NEGATIVE_INFINITY;
  // Round medians with the time they ended, oldest first; only the lowest recent one matters.
  const rounds: { at: number; median: number }[] = [];

  /** The lowest round median of the window, and when it was measured. */
  const baseOf = (now: number): { median: number; at: number } => {
    while (rounds.length > 1 && rounds[0]!.at < now - baseWindowMs) rounds.shift();
    let base = rounds[0]!;
    for (const round of rounds) if (round.median <= base.median) base = round;
    return base;
  };
  let lastBase = Number.POSITIVE_INFINITY;
  let draining = false;

  const endRound = () => {
    const now = options.now();
    latencies.sort((left, right) => left - right);
    const median = latencies[latencies.length >> 1]!;
    latencies = [];
    if (draining) {
      // The drained round measured the latency without a queue: that is the base now, even if
      // higher than the old one (the provider became slower).
      draining = false;
      rounds.length = 0;
    }
    rounds.push({ at: now, median });
    const base = baseOf(now);
    // The base rose by half: the provider became slower (or the old base expired); start over.
    if (base.median > lastBase * 1.5) startingUp = true;
    lastBase = base.median;
    const queue = limit * (1 - base.median / median);
    const alpha = Math.max(3, limit * 0.1);
    const previous = limit;
    let gentle = false;
    if (!startingUp && now - base.at > baseWindowMs / 2) {
      // Holding a small queue means no round sees the latency without one, and the base would
      // expire into a queued latency (and the limit creep up). Drain the queue for one round.
      draining = true;
      limit = Math.round(limit - Math.max(0, queue));
    } else if (queue > 2 * alpha) {
      // Half the excess at a time: a real queue is gone in two rounds, a burst of slow cells
      // (another process on the CPU, a provider hiccup) costs half as much.
      startingUp = false;
      limit = Math.round(limit - (queue - alpha) / 2);
    } else if (startingUp && queue >= alpha) {
      // A queue is forming: doubling again would overshoot by up to the whole limit.
      startingUp = false;
    } else if (startingUp || queue < alpha) {
      const target = startingUp ? limit * 2 : limit + Math.max(1, Math.ceil(limit * GROWTH));
      // Back up to a limit the run has held, no one is asked: its memory was spent already (and
      // a budget on resident memory, which never falls, would say no for good: every cut, even
      // a drain round's, would be permanent). Past it, `canGrow` is.
      if (target > highest && options.canGrow?.() === false) {
        startingUp = false;
        gentle = true;
        limit = Math.max(limit, Math.min(target, highest));
      } else {
        gentle = !startingUp;
        limit = target;
      }
    }
    const next = Math.min(max, Math.max(min, limit));
    // After a cut (or a doubling), cells started before it would report the old queue again;
    // after a 10% step, the older cells only under-state the new queue, which the next round sees.
    if (next !== previous && !gentle) changedAt = now;
    limit = next;
    highest = Math.max(highest, limit);
  };

  return {
    get limit() {
      return limit;
    },
    record(latencyMs) {
      if (!Number.isFinite(latencyMs) || latencyMs < 0) return;
      if (options.now() - latencyMs < changedAt) return;
      latencies.push(latencyMs);
      if (latencies.length >= limit) endRound();
    },
  };
}
