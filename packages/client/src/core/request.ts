import type { Message } from '../messages.ts';
import type { CallMetadata } from '../record/call-record.ts';

/**
 * Time limits. Enforced by the resilience layer (retries and timeouts); carried here.
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
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeout?: TimeoutOptions;
  /** `auto` (default) places provider cache markers on the stable prefix; `off` sends none. */
  cache?: 'auto' | 'off';
  /** Anthropic cache-write TTL for `cache: 'auto'`: `5m` (default) or `1h`. */
  cacheTtl?: '5m' | '1h';
};

/**
 * `generate` and `stream` take the common options as they are.
 *
 * @example
 * const request: GenerateRequest = { model: 'anthropic/claude-haiku-4-5', system: 'Be brief.', prompt: 'Hi' };
 */
export type GenerateRequest = RequestOptions;
