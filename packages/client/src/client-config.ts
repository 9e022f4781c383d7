import type { Tracer } from '@opentelemetry/api';
import type { PriceOverrides } from './pricing/price-table.ts';
import type { Provider } from './providers/provider.ts';
import type { CallSink } from './record/call-record.ts';
import type { BreakerConfig, BreakerStore } from './resilience/breaker-store.ts';
import type { LimiterStore, RateLimits } from './resilience/limiter-store.ts';
import type { RetryConfig } from './resilience/retry-policy.ts';
import type { LoggerLike } from './telemetry/logger-like.ts';

/**
 * OpenAI or Anthropic itself; keys are read from the environment when the first call is made.
 *
 * @example
 * providers: { openai: {}, anthropic: { apiKey: process.env.MY_ANTHROPIC_KEY } }
 */
export type HostedProviderConfig = {
  type?: 'openai' | 'anthropic';
  apiKey?: string;
  baseURL?: string;
  apiKeyEnv?: string;
};

/**
 * Any server that speaks OpenAI's Chat Completions (vLLM, llama.cpp, Ollama, LM Studio…).
 *
 * @example
 * providers: { local: { type: 'openai-compatible', baseURL: 'http://localhost:11434/v1' } }
 */
export type CompatibleProviderConfig = {
  type: 'openai-compatible';
  baseURL: string;
  apiKey?: string;
  apiKeyEnv?: string;
};

/** One entry of `providers` (see the two variants above). */
export type ProviderConfig = HostedProviderConfig | CompatibleProviderConfig;

/**
 * Client configuration, parsed once by `createClient`.
 *
 * @example
 * const client = createClient({
 *   providers: { openai: {}, anthropic: {}, local: { type: 'openai-compatible', baseURL: 'http://localhost:8000/v1' } },
 *   defaults: { model: 'openai/gpt-5.6-luna', maxTokens: 1024 },
 *   sinks: [store.sink()],
 *   prices: { 'local/llama-3.1-8b': { input: 0, output: 0, contextWindow: 131072 } },
 * });
 */
export type ClientConfig = {
  /**
   * Providers by name (the part of `name/model` before the slash). Default: `openai` and
   * `anthropic`, keys from `OPENAI_API_KEY` / `ANTHROPIC_API_KEY`. A provider named `openai` or
   * `anthropic` needs no `type`; any other name does.
   */
  providers?: Record<string, ProviderConfig>;
  defaults?: {
    model?: string;
    maxTokens?: number;
    temperature?: number;
    cache?: 'auto' | 'off';
    cacheTtl?: '5m' | '1h';
  };
  /** A pino logger (or compatible); default: pino JSON on stderr at `REINS_LOG_LEVEL` or info. `false`: silent. */
  logger?: LoggerLike | false;
  /**
   * Which attempts get their own `llm.attempt` line. `'all'` (default): every attempt. `'retried'`:
   * a call answered by its first attempt writes only its `llm.call` line, which then also carries
   * that attempt's `finish_reason` (and `simulated`), so a normal call is one line; a call with a
   * failed attempt, a retry or a re-ask still logs every attempt.
   */
  logAttempts?: 'all' | 'retried';
  /** Receive one `CallRecord` per attempt (request sanitized, keys redacted). */
  sinks?: CallSink[];
  /** Price and limit overrides keyed `provider/model`, merged over the bundled table. */
  prices?: PriceOverrides;
  /** Anthropic estimates from the `count_tokens` endpoint (one extra request per call) instead of locally. */
  exactTokenCounts?: boolean;
  /** More strings to redact from logs and records, besides the configured API keys. */
  secrets?: string[];
  /** Injected for tests: monotonic milliseconds for durations. */
  now?: () => number;
  /** Injected for tests: wall-clock milliseconds for timestamps. */
  wallClock?: () => number;
  /** Injected for tests: call and record ids (default UUIDv7). */
  generateId?: () => string;
  /** Injected for tests: the fetch the SDKs use. */
  fetch?: typeof globalThis.fetch;
  /** An OpenTelemetry tracer; default the global one (a no-op unless a provider is registered). */
  tracer?: Tracer;
  /** Adapters built elsewhere (tests, new providers), by name; they win over `providers`. */
  adapters?: Record<string, Provider>;
  /**
   * Retries per failure class: exponential backoff with full jitter (default 3 retries, 500 ms
   * doubling, at most 20 s); 429s wait what the provider asked, up to `maxRetryAfterMs` (60 s).
   */
  retry?: RetryConfig;
  /** Default time limits (`totalMs` 600 000, `firstTokenMs` 60 000 — non-streaming 60 000 + 50 per `maxTokens` — `idleMs` 30 000). */
  timeout?: { totalMs?: number; firstTokenMs?: number; idleMs?: number };
  /**
   * Circuit breaker per `provider/model` (defaults: 5 consecutive failures, or ≥ 50% of ≥ 20
   * outcomes in 30 s; 30 s cooldown, then one probe). `store` shares state across processes.
   */
  breaker?: Partial<BreakerConfig> & { store?: BreakerStore };
  /** `provider/model` → models to try, in order, when it is down (breaker open, retries exhausted). */
  fallbacks?: Record<string, string[]>;
  /** `provider/model` → a larger-window model to ask after a context overflow. */
  contextFallback?: Record<string, string>;
  /** `provider/model` → a model to ask after a refusal or content filter. */
  contentFallback?: Record<string, string>;
  /** RPM / TPM per `provider/model`; unconfigured models learn theirs from rate-limit headers. */
  limits?: Record<string, RateLimits>;
  /** Where the limiter's buckets live (default: this process); learning can be turned off. */
  limiter?: { store?: LimiterStore; learnFromHeaders?: boolean };
  /** Refuse (before sending) any request whose worst-case cost would take spending past this. */
  budgetUsd?: number;
  /** Injected for tests: the wait between retries. */
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** Injected for tests: the jitter source, 0 ≤ x < 1. */
  random?: () => number;
};
