import type { ModelSpec } from './model-table.ts';

/** Prompt processing speed of the realistic profile: 20 000 uncached input tokens per second. */
const PREFILL_TOKENS_PER_MS = 20;
/** A fully cached prompt cuts time to first token by this share, as the providers publish. */
export const MAX_CACHED_TTFT_CUT = 0.8;
const DEFAULT_TTFT_MS = 800;
const DEFAULT_TOKENS_PER_SECOND = 120;

export interface LatencyProfile {
  readonly instant: boolean;
  /** Wait before the first byte of output. */
  timeToFirstTokenMs(model: ModelSpec, inputTokens: number, cachedTokens: number): number;
  /** Wait between output tokens. */
  tokenIntervalMs(model: ModelSpec): number;
}

/**
 * `instant` never waits (benchmarks, most tests). `realistic` waits the model's median TTFT plus
 * prompt processing, cut by up to 80% in proportion to the cached share of the prompt, then
 * streams at the model's tokens/s. `scale` multiplies every wait (0.01 makes tests fast).
 *
 * @example
 * createLatencyProfile('realistic', 0.1).timeToFirstTokenMs(model, 1000, 0); // ~ (ttft + 50 ms) / 10
 */
export function createLatencyProfile(profile: 'instant' | 'realistic', scale = 1): LatencyProfile {
  const instant = profile === 'instant' || scale <= 0;
  return {
    instant,
    timeToFirstTokenMs(model, inputTokens, cachedTokens) {
      if (instant) return 0;
      const cachedShare = inputTokens > 0 ? Math.min(1, cachedTokens / inputTokens) : 0;
      const base = (model.ttftMs ?? DEFAULT_TTFT_MS) + (inputTokens - cachedTokens) / PREFILL_TOKENS_PER_MS;
      return base * (1 - MAX_CACHED_TTFT_CUT * cachedShare) * scale;
    },
    tokenIntervalMs(model) {
      if (instant) return 0;
      return (1000 / (model.tokensPerSecond ?? DEFAULT_TOKENS_PER_SECOND)) * scale;
    },
  };
}
