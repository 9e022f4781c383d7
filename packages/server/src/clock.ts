/**
 * The time source every time-dependent piece of the server reads, so tests can drive it.
 *
 * @example
 * const clock = systemClock;
 * const startedAt = new Date(clock.now()).toISOString();
 */
export type Clock = {
  /** Milliseconds since the epoch. */
  now(): number;
};

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to: for tests of TTLs, timings and backoff.
 *
 * @example
 * const clock = manualClock(Date.parse('2025-01-01T00:00:00Z'));
 * clock.advance(1_000);
 */
export function manualClock(start = 0): Clock & { advance(ms: number): void; set(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}
