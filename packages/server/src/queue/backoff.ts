export type BackoffOptions = {
  /** Delay before the first retry (default 1000). */
  initialDelayMs?: number;
  /** Cap (default 60 000). */
  maxDelayMs?: number;
  /** 0..1; injected by tests. */
  random?: () => number;
};

/**
 * Exponential backoff with "equal jitter": half the delay fixed, half random, so retries of many
 * tasks that failed together spread out instead of hitting the provider at the same instant.
 *
 * @example
 * retryDelayMs(1) // 500..1000
 * retryDelayMs(3) // 2000..4000
 */
export function retryDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialDelayMs ?? 1_000;
  const max = options.maxDelayMs ?? 60_000;
  const random = options.random ?? Math.random;
  const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (base / 2) * random());
}
