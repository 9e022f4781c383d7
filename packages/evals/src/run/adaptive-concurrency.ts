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
 * So the limit is found the way TCP Vegas finds a congestion window, in rounds. A round is the
 * cells *started* while `limit` of them start (about one latency), read once all of them have
 * settled: rounds cut by settlement would hold the quick cells and miss the slow ones still
 * waiting, which are the queue. For each kind of cell (a model: models differ in latency), the
 * round's median latency less that kind's lowest round median of the last `baseWindowMs` (its
 * latency without a queue) is the wait its cells had; by Little's law the share of the cells in
 * flight that were waiting is `Σ cells × wait / Σ cells × latency` over the kinds, and the
 * queue is that share of the limit.
 *
 * - Starting up (from `initial`), the limit doubles every round until a queue over `beta` forms.
 * - A queue under `alpha` (a tenth of the limit, at least 3): the pipe is not full, grow 10%.
 * - A queue over `beta` (twice that): cut half of the excess over `alpha`.
 * - In between, or when `canGrow` says no (the run's memory budget is reached): hold.
 *
 * The base expires after `baseWindowMs`, so a provider that really
 * becomes slower is re-learned within that window instead of being mistaken for a queue forever.
 * Holding a small queue would let it expire into a queued latency (and the limit creep up), so
 * when no round has matched the base for half the window, one round runs with the estimated
 * queue drained, to measure the latency without one.
 * Nothing here is tuned to one provider: it only sees how long cells take.
 *
 * @example
 * const concurrency = createAdaptiveConcurrency({ now: () => performance.now() });
 * await runPool(cells, work, { concurrency: () => concurrency.limit });
 * // in work(): const ticket = concurrency.started(); … concurrency.settled(ticket, model, ok);
 */
export type AdaptiveConcurrency = {
  /** Cells the pool may have in flight now. */
  readonly limit: number;
  /** A cell starts; pass the ticket to `settled`. */
  started(): AdaptiveTicket;
  /**
   * The cell settled. `kind` groups cells whose latencies compare (the model); a cell that
   * failed (`measured: false`, often no call at all) closes its round without a latency.
   */
  settled(ticket: AdaptiveTicket, kind: string, measured: boolean): void;
};

/** Which round a cell belongs to, and when it started. */
export type AdaptiveTicket = { readonly round: Round; readonly at: number };

type Round = {
  openedAt: number;
  closedAt: number;
  started: number;
  settled: number;
  latencies: Map<string, number[]>;
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
   * Asked before each increase; `false` holds the limit where it is (a memory budget reached).
   * It never cuts: the latency does that.
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
  // Rounds opened before the last cut or doubling describe the old limit; they are not read.
  let changedAt = Number.NEGATIVE_INFINITY;
  // Per kind: round medians with the time they ended, oldest first; the lowest recent one is
  // that kind's latency without a queue.
  const history = new Map<string, { at: number; median: number }[]>();
  let draining = false;
  const newRound = (): Round => ({
    openedAt: options.now(),
    closedAt: Number.NaN,
    started: 0,
    settled: 0,
    latencies: new Map(),
  });
  let current = newRound();

  const baseOf = (kept: { at: number; median: number }[], now: number) => {
    while (kept.length > 1 && kept[0]!.at < now - baseWindowMs) kept.shift();
    let base = kept[0]!;
    for (const round of kept) if (round.median <= base.median) base = round;
    return base;
  };

  const readRound = (round: Round) => {
    if (round.openedAt < changedAt || round.latencies.size === 0) return;
    const now = options.now();
    // Cells × milliseconds waited, over the kinds: medians, so a few slow cells (a 429 retried,
    // a GC pause, a long answer) are not a queue.
    let waited = 0;
    let spent = 0;
    let oldestBase = now;
    for (const [kind, values] of round.latencies) {
      values.sort((left, right) => left - right);
      const median = values[values.length >> 1]!;
      let kept = history.get(kind);
      if (kept === undefined) history.set(kind, (kept = []));
      kept.push({ at: now, median });
      const base = baseOf(kept, now);
      oldestBase = Math.min(oldestBase, base.at);
      waited += values.length * (median - base.median);
      spent += values.length * median;
    }
    draining = false;
    // Little's law: cells in flight are starts per second × latency, and cells waiting are
    // starts per second × wait; starts are the same cells, so the queue is that share of limit.
    const queue = spent > 0 ? (limit * waited) / spent : 0;
    const alpha = Math.max(3, limit * 0.1);
    const previous = limit;
    let gentle = false;
    if (!startingUp && now - oldestBase > baseWindowMs / 2) {
      // Holding a small queue means no round sees the latency without one, and the base would
      // expire into a queued latency (and the limit creep up). Drain the queue for one round.
      draining = true;
      limit = Math.round(limit - Math.max(0, queue));
    } else if (queue > 2 * alpha) {
      // Half the excess at a time: a real queue is gone in two rounds, a burst of slow cells
      // (another process on the CPU, a provider hiccup) costs half as much.
      startingUp = false;
      limit = Math.round(limit - (queue - alpha) / 2);
    } else if ((startingUp || queue < alpha) && options.canGrow?.() === false) {
      startingUp = false;
    } else if (startingUp) {
      limit *= 2;
    } else if (queue < alpha) {
      gentle = true;
      limit += Math.max(1, Math.ceil(limit * GROWTH));
    }
    const next = Math.min(max, Math.max(min, limit));
    // After a cut (or a doubling), rounds opened before it would report the old queue again;
    // after a 10% step, they only under-state the new queue, which the next round sees.
    if (next !== previous && !gentle) changedAt = now;
    limit = next;
  };

  return {
    get limit() {
      return limit;
    },
    started() {
      if (current.started >= limit) {
        const full = current;
        full.closedAt = options.now();
        current = newRound();
        if (full.settled === full.started) readRound(full);
      }
      current.started += 1;
      return { round: current, at: options.now() };
    },
    settled(ticket, kind, measured) {
      const { round } = ticket;
      round.settled += 1;
      const latency = options.now() - ticket.at;
      if (measured && Number.isFinite(latency) && latency >= 0) {
        const values = round.latencies.get(kind);
        if (values === undefined) round.latencies.set(kind, [latency]);
        else values.push(latency);
      }
      if (!Number.isNaN(round.closedAt) && round.settled === round.started) readRound(round);
    },
  };
}
