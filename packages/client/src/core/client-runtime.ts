import type { Tracer } from '@opentelemetry/api';
import type { Meter } from '../meter/create-meter.ts';
import type { PriceTable } from '../pricing/price-table.ts';
import type { Provider } from '../providers/provider.ts';
import type { CallSink } from '../record/call-record.ts';
import type { Budget } from '../resilience/budget.ts';
import type { CircuitBreaker } from '../resilience/circuit-breaker.ts';
import type { RateLimiter } from '../resilience/rate-limiter.ts';
import type { LoggerLike } from '../telemetry/logger-like.ts';

/** Decides whether a failed attempt is tried again and after how long; `undefined` = give up. */
export type RetryDecision = (error: unknown, attempt: number) => number | undefined;

/**
 * Everything a call needs from its client, passed explicitly (no globals) so tests inject a
 * clock, ids, sinks and providers. The resilience layer plugs in through `shouldRetry`, `sleep`,
 * the breaker, the limiter and the budget.
 */
export type ClientRuntime = {
  providers: ReadonlyMap<string, Provider>;
  prices: PriceTable;
  meter: Meter;
  logger: LoggerLike | undefined;
  /** `'retried'`: a lone successful attempt's line is folded into the call line (see `ClientConfig`). */
  logAttempts: 'all' | 'retried';
  sinks: readonly CallSink[];
  /** Removes configured and environment API keys (and key-shaped strings) from text. */
  redact: (text: string) => string;
  /** The current redactor as a function to reuse across one record (reads the env once). */
  getRedactor: () => (text: string) => string;
  /** Monotonic milliseconds, for durations. */
  now: () => number;
  /** Wall-clock milliseconds since the epoch, for `startedAt`. */
  wallClock: () => number;
  generateId: () => string;
  tracer: Tracer;
  defaults: {
    model?: string;
    maxTokens?: number;
    temperature?: number;
    cache?: 'auto' | 'off';
    cacheTtl?: '5m' | '1h';
  };
  exactTokenCounts: boolean;
  shouldRetry: RetryDecision;
  /**
   * Default time limits (a request's `timeout` overrides each). `firstTokenMs` is `undefined`
   * unless configured: then streams use 60 s and non-streaming calls a limit that grows with
   * `maxTokens` (see `firstTokenLimit`).
   */
  timeouts: { totalMs: number; firstTokenMs: number | undefined; idleMs: number };
  breaker: CircuitBreaker;
  limiter: RateLimiter;
  /** The client-wide `budgetUsd`, if set. */
  budget: Budget | undefined;
  /** `provider/model` → models to try next when it is down (breaker open, retries exhausted). */
  fallbacks: Readonly<Record<string, readonly string[]>>;
  /** `provider/model` → a larger-window model for context overflows. */
  contextFallback: Readonly<Record<string, string>>;
  /** `provider/model` → a model to ask when this one refuses or filters. */
  contentFallback: Readonly<Record<string, string>>;
  random: () => number;
  sleep: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** Logs a warning the first time `key` is seen. */
  warnOnce: (key: string, message: string, fields?: object) => void;
};
