import type { Usage } from '../record/call-record.ts';
import type { ModelInfo } from './price-table.ts';

/**
 * Cost of one attempt in USD, or `null` when the model's price is unknown.
 *
 * `usage.inputTokens` includes cached and cache-written tokens on both providers (the adapters
 * normalise Anthropic's exclusive `input_tokens`), so one formula serves both:
 * uncached = input − cached − cacheWrite at the input price, cached at the cache-read price,
 * writes at the cache-write price (the 1-hour part at the 1-hour price), output at the output
 * price (reasoning tokens are part of output). Computed in micro-units and rounded to 1e-12 USD
 * so that results are exact decimals: 1,000 tokens at $2.50/M is 0.0025, not 0.0025000000000000005.
 *
 * @example
 * computeCost({ inputTokens: 1000, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 100,
 *   reasoningTokens: 0 }, { input: 2.5, output: 10 }) // 0.0035
 */
export function computeCost(usage: Usage, info: ModelInfo | undefined): number | null {
  if (info === undefined || info.input === undefined || info.output === undefined) return null;
  const long = info.longContext;
  const tier = long !== undefined && usage.inputTokens > long.aboveInputTokens ? long : undefined;
  const input = tier?.input ?? info.input;
  const output = tier?.output ?? info.output;
  const cacheRead = tier?.cacheRead ?? info.cacheRead ?? input;
  const cacheWrite = tier?.cacheWrite ?? info.cacheWrite ?? input;
  const cacheWrite1h = info.cacheWrite1h ?? cacheWrite;

  const writes1h = Math.min(usage.cacheWrite1hTokens ?? 0, usage.cacheWriteTokens);
  const writes = usage.cacheWriteTokens - writes1h;
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
  // Sum of tokens × USD-per-million = micro-USD; scale to pico-USD integers before dividing.
  const microUsd =
    uncached * input +
    usage.cachedInputTokens * cacheRead +
    writes * cacheWrite +
    writes1h * cacheWrite1h +
    usage.outputTokens * output;
  return Math.round(microUsd * 1e6) / 1e12;
}

/**
 * What the cached part of a call would have cost uncached, minus what it did cost: the saving
 * the meter's cache report shows. Cache writes cost extra, so this can be negative.
 *
 * @example
 * cacheSavings({ inputTokens: 10_050, cachedInputTokens: 10_000, cacheWriteTokens: 0, outputTokens: 0,
 *   reasoningTokens: 0 }, { input: 5, output: 25, cacheRead: 0.5 }) // 0.045
 */
export function cacheSavings(usage: Usage, info: ModelInfo | undefined): number | null {
  if (info === undefined || info.input === undefined || info.output === undefined) return null;
  if (usage.cachedInputTokens === 0 && usage.cacheWriteTokens === 0) return 0;
  const long = info.longContext;
  const tier = long !== undefined && usage.inputTokens > long.aboveInputTokens ? long : undefined;
  const input = tier?.input ?? info.input;
  const cacheRead = tier?.cacheRead ?? info.cacheRead ?? input;
  const cacheWrite = tier?.cacheWrite ?? info.cacheWrite ?? input;
  const cacheWrite1h = info.cacheWrite1h ?? cacheWrite;
  const writes1h = Math.min(usage.cacheWrite1hTokens ?? 0, usage.cacheWriteTokens);
  const microUsd =
    usage.cachedInputTokens * (input - cacheRead) +
    (usage.cacheWriteTokens - writes1h) * (input - cacheWrite) +
    writes1h * (input - cacheWrite1h);
  return Math.round(microUsd * 1e6) / 1e12;
}
