import type { Tracer } from '@opentelemetry/api';
import type { Meter } from '../meter/create-meter.ts';
import type { PriceTable } from '../pricing/price-table.ts';
import type { Provider } from '../providers/provider.ts';
import type { CallSink } from '../record/call-record.ts';
import type { LoggerLike } from '../telemetry/logger-like.ts';

/** Decides whether a failed attempt is tried again and after how long; `undefined` = give up. */
export type RetryDecision = (error: unknown, attempt: number) => number | undefined;

/**
 * Everything a call needs from its client, passed explicitly (no globals) so tests inject a
 * clock, ids, sinks and providers. The resilience layer plugs in through `shouldRetry` and
 * `sleep`; until it lands, a call makes one attempt.
 */
export type ClientRuntime = {
  providers: ReadonlyMap<string, Provider>;
  prices: PriceTable;
  meter: Meter;
  logger: LoggerLike | undefined;
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
  sleep: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** Logs a warning the first time `key` is seen. */
  warnOnce: (key: string, message: string, fields?: object) => void;
};
