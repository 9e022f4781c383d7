import type { FaultPlan } from './fault-plan.ts';
import type { LatencyProfile } from './latency-profile.ts';
import type { ModelTable } from './model-table.ts';
import type { PromptCache } from './prompt-cache.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { StatsRecorder } from './stats.ts';

/** Everything a route handler needs, built once by `startSimulator`. */
export interface SimulatorContext {
  models: ModelTable;
  faults: FaultPlan;
  limiter: RateLimiter;
  cache: PromptCache;
  latency: LatencyProfile;
  stats: StatsRecorder;
  now: () => number;
  /** Accepted API keys; `undefined` accepts any non-empty key. */
  keys: ReadonlySet<string> | undefined;
  /** The wait a `429` fault asks for (`retry-after-ms`). */
  retryAfterMs: number;
}

/** A status and a serialized provider error body. */
export interface ErrorResponse {
  status: number;
  /** The body, or a function of the request id for providers that echo it (Anthropic). */
  body: string | ((requestId: string) => string);
  /** Extra headers, e.g. `retry-after`. */
  headers?: string[];
}
