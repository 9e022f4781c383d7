import type { Message } from '../messages.ts';
import type { CallMetadata, TemplateRef } from '../record/call-record.ts';

/**
 * Time limits; each raises `TimeoutError` naming the limit. `totalMs` (default 10 min) bounds the
 * whole call: attempts, backoff, limiter queues and fallbacks. `firstTokenMs` (default 60 s;
 * non-streaming, where it covers the whole answer: 60 s + 50 ms per `maxTokens`) bounds each
 * attempt's wait for its first content;
 * `idleMs` (default 30 s) the gap between stream chunks. The last two are retried.
 *
 * @example
 * await client.generate({ model, prompt, timeout: { totalMs: 60_000, firstTokenMs: 10_000, idleMs: 5_000 } });
 */
export type TimeoutOptions = { totalMs?: number; firstTokenMs?: number; idleMs?: number };

/**
 * Options every method takes. `model` is `provider/model`; `prompt` is shorthand for one user
 * message; `metadata` flows into logs, sinks and the meter.
 *
 * @example
 * const request: RequestOptions = { model: 'openai/gpt-5.6-luna', prompt: 'Hi',
 *   metadata: { userId: 'u1', tags: ['demo'] }, signal: AbortSignal.timeout(30_000) };
 */
export type RequestOptions = {
  /** `provider/model`; falls back to `defaults.model`. */
  model?: string;
  system?: string;
  messages?: Message[];
  prompt?: string;
  maxTokens?: number;
  /** Ignored (with one warning) for Anthropic: its current API rejects sampling parameters. */
  temperature?: number;
  stop?: string[];
  metadata?: CallMetadata;
  /**
   * The template that produced this prompt (what `registry.render` returns as `template`), so
   * `client.generate({ model, ...registry.render(name, variables) })` logs its name and version.
   * Same as `metadata.template`, which wins when both are given.
   */
  template?: TemplateRef;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeout?: TimeoutOptions;
  /** `auto` (default) places provider cache markers on the stable prefix; `off` sends none. */
  cache?: 'auto' | 'off';
  /** Anthropic cache-write TTL for `cache: 'auto'`: `5m` (default) or `1h`. */
  cacheTtl?: '5m' | '1h';
  /** Models to try, in order, when this one is down; overrides the client's `fallbacks`. */
  fallbacks?: string[];
  /** A larger-window model to ask after a context overflow; overrides the client's. */
  contextFallback?: string;
  /** A model to ask after a refusal or content filter; overrides the client's. */
  contentFallback?: string;
  /**
   * Streams only: what to do when the stream breaks after content reached you. `fail`
   * (default): `StreamInterruptedError` with the partial text. `restart`: a `{ type: 'restart' }`
   * event (discard what you have), then the request is sent again from scratch.
   */
  resumeStrategy?: 'fail' | 'restart';
};

/**
 * `generate` and `stream` take the common options as they are.
 *
 * @example
 * const request: GenerateRequest = { model: 'anthropic/claude-haiku-4-5', system: 'Be brief.', prompt: 'Hi' };
 */
export type GenerateRequest = RequestOptions;
