import { describe, expect, it } from 'vitest';
import { createAdaptiveConcurrency } from './adaptive-concurrency.ts';

type World = {
  /** Cells per second the bottleneck lets through at time `t` (ms): a rate limit, a busy CPU. */
  rate: (t: number) => number;
  /** Latency of a cell that does not wait, started at `t`. */
  latencyMs: (t: number) => number;
  /** Extra latency of the `index`th cell for reasons unrelated to load (a retry, a GC pause). */
  noiseMs?: (index: number) => number;
};

/**
 * A closed-loop run on a simulated clock: cells start while fewer than the controller's limit
 * are in flight, queue FIFO for the bottleneck, then take their latency. Returns the limit and
 * the cells settled per second over time.
 */
function simulate(
  world: World,
  cells: number,
  options: { initial?: number; max?: number; canGrow?: (limit: number) => boolean } = {},
) {
  let now = 0;
  const { canGrow, ...rest } = options;
  const controller = createAdaptiveConcurrency({
    now: () => now,
    ...rest,
    ...(canGrow === undefined ? {} : { canGrow: () => canGrow(controller.limit) }),
  });
  let nextSlot = 0;
  let started = 0;
  const inFlight: { started: number; done: number }[] = [];
  const settledAt: number[] = [];
  const limits: { at: number; limit: number }[] = [];
  const start = () => {
    const service = Math.max(now, nextSlot);
    nextSlot = service + 1000 / world.rate(now);
    const cell = { started: now, done: service + world.latencyMs(now) + (world.noiseMs?.(started) ?? 0) };
    let index = inFlight.length;
    while (index > 0 && inFlight[index - 1]!.done > cell.done) index -= 1;
    inFlight.splice(index, 0, cell);
    started += 1;
  };
  while (settledAt.length < cells) {
    while (inFlight.length < controller.limit && started < cells) start();
    const cell = inFlight.shift()!;
    now = cell.done;
    settledAt.push(now);
    controller.record(now - cell.started);
    limits.push({ at: now, limit: controller.limit });
  }
  const limitAt = (t: number) => limits.findLast((entry) => entry.at <= t)?.limit ?? Number.NaN;
  /** Cells settled per second between `from` and `to` (ms). */
  const throughput = (from: number, to: number) =>
    (settledAt.filter((at) => at >= from && at < to).length * 1000) / (to - from);
  return { limitAt, throughput, end: now };
}

describe('createAdaptiveConcurrency', () => {
  it('settles at what the bottleneck can use: full throughput, a small queue', () => {
    // 150 cells/s (3 models at 3,000 RPM) and 1 s per call: 150 in flight fill the pipe.
    const run = simulate({ rate: () => 150, latencyMs: () => 1_000 }, 30_000);
    expect(run.throughput(60_000, 180_000)).toBeGreaterThan(150 * 0.97);
    for (const t of [60_000, 120_000, 180_000]) {
      expect(run.limitAt(t)).toBeGreaterThanOrEqual(150);
      expect(run.limitAt(t)).toBeLessThanOrEqual(150 * 1.35);
    }
  });

  it('reaches the pipe quickly from a small start', () => {
    const run = simulate({ rate: () => 400, latencyMs: () => 1_000 }, 20_000);
    expect(run.throughput(25_000, 60_000)).toBeGreaterThan(400 * 0.95);
  });

  it('grows when the limits allow more, and shrinks when they tighten', () => {
    const rising = simulate({ rate: (t) => (t < 60_000 ? 50 : 300), latencyMs: () => 800 }, 30_000);
    expect(rising.limitAt(59_000)).toBeLessThanOrEqual(50 * 0.8 * 1.35 + 3);
    expect(rising.throughput(90_000, rising.end - 1_000)).toBeGreaterThan(300 * 0.95);

    const falling = simulate({ rate: (t) => (t < 30_000 ? 300 : 50), latencyMs: () => 800 }, 15_000);
    expect(falling.limitAt(falling.end - 1_000)).toBeLessThanOrEqual(50 * 0.8 * 1.35 + 3);
    expect(falling.throughput(60_000, falling.end - 1_000)).toBeGreaterThan(50 * 0.95);
  });

  it('re-learns a provider that became slower instead of taking it for a queue for ever', () => {
    // Latency triples at 60 s; the bottleneck still allows 100/s, so 300 in flight are needed.
    const run = simulate({ rate: () => 100, latencyMs: (t) => (t < 60_000 ? 1_000 : 3_000) }, 30_000);
    expect(run.throughput(150_000, run.end - 3_000)).toBeGreaterThan(100 * 0.95);
    expect(run.limitAt(run.end - 3_000)).toBeGreaterThanOrEqual(300);
  });

  it('does not mistake occasional slow cells (a retry, a GC pause) for a queue', () => {
    // One cell in ten takes a second longer, whatever the load: a 429 retried, a slow answer.
    let state = 7;
    const noiseMs = () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state % 10 === 0 ? 1_000 : 0;
    };
    const run = simulate({ rate: () => 150, latencyMs: () => 900, noiseMs }, 30_000);
    for (const t of [60_000, 100_000, 140_000, 180_000]) {
      expect(run.limitAt(t)).toBeGreaterThanOrEqual(150 * 0.9);
    }
    expect(run.throughput(30_000, 180_000)).toBeGreaterThan(150 * 0.95);
  });

  it('holds where canGrow says no, and still cuts a queue', () => {
    // A memory budget reached at 100 in flight; the pipe would take 400.
    const held = simulate({ rate: () => 400, latencyMs: () => 1_000 }, 20_000, {
      canGrow: (limit) => limit < 100,
    });
    for (const t of [10_000, 30_000, 50_000]) expect(held.limitAt(t)).toBeLessThanOrEqual(2 * 100);
    expect(held.limitAt(50_000)).toBeGreaterThanOrEqual(100);
    // Budget or not, a queue at the limiter is still cut back to the pipe.
    const cut = simulate({ rate: (t) => (t < 20_000 ? 400 : 50), latencyMs: () => 800 }, 8_000, {
      canGrow: (limit) => limit < 300,
    });
    expect(cut.limitAt(cut.end - 1_000)).toBeLessThanOrEqual(50 * 0.8 * 1.35 + 3);
  });

  it('grows back to a limit it has held after a cut, with the budget spent', () => {
    // Resident memory never falls: once over the budget (here at 200 in flight), canGrow says
    // no for the rest of the run. A cut (a queue at the limiter, a drain round, a burst of slow
    // cells) must not be permanent, or a long run ratchets down below what the limits allow.
    let seed = 1;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    let spent = false;
    const run = simulate(
      {
        rate: (t) => (t < 20_000 ? 400 : 150),
        latencyMs: () => 1_000,
        // Mostly up to 200 ms, one cell in ten up to 2 s (GC pauses, a busy CPU, retries).
        noiseMs: () => (random() < 0.1 ? random() * 2_000 : random() * 200),
      },
      90_000,
      {
        canGrow: (limit) => {
          spent ||= limit >= 200;
          return !spent;
        },
      },
    );
    expect(spent).toBe(true);
    // 90,000 cells at 150/s after a 20 s burst at 400/s: ~597 s at the limits.
    expect(run.end).toBeLessThan(597_000 * 1.05);
    for (const t of [300_000, 400_000, 500_000, 580_000]) expect(run.limitAt(t)).toBeGreaterThanOrEqual(150);
  });

  it('stays within its bounds and ignores nonsense latencies', () => {
    const run = simulate({ rate: () => 100_000, latencyMs: () => 10 }, 5_000, { max: 64 });
    expect(run.limitAt(run.end)).toBe(64);
    const controller = createAdaptiveConcurrency({ now: () => 0, initial: 2, min: 4 });
    expect(controller.limit).toBe(4);
    for (let index = 0; index < 100; index++) controller.record(Number.NaN);
    expect(controller.limit).toBe(4);
  });
});
