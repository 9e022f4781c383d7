import bundled from './prices.json' with { type: 'json' };

/**
 * Prices in USD per million tokens for requests whose input exceeds `aboveInputTokens`.
 *
 * @example
 * { aboveInputTokens: 272000, input: 2, output: 9, cacheRead: 0.2, cacheWrite: 2.5 } // gpt-5.6-luna
 */
export type LongContextPrice = {
  aboveInputTokens: number;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
};

/**
 * What Reins knows about a model: prices in USD per million tokens and its limits. A missing
 * `input` or `output` price means "unknown": cost is then `null`, never a guess.
 *
 * @example
 * client.prices.lookup('anthropic', 'anthropic', 'claude-haiku-4-5') // { input: 1, output: 5, cacheRead: 0.1, … }
 */
export type ModelInfo = {
  input?: number;
  output?: number;
  cacheRead?: number;
  /** Cache-write price (Anthropic 5-minute TTL; OpenAI GPT-5.6+). Absent: writes bill as input. */
  cacheWrite?: number;
  /** Anthropic 1-hour TTL cache-write price. */
  cacheWrite1h?: number;
  contextWindow?: number;
  maxOutput?: number;
  minCacheableTokens?: number;
  longContext?: LongContextPrice;
  /** Anthropic: the model takes `output_config.format` (structured output without a forced tool). */
  nativeStructuredOutput?: boolean;
};

/**
 * User overrides keyed `provider/model`, merged over the bundled entry.
 *
 * @example
 * createClient({ prices: { 'local/llama-3.1-8b': { input: 0, output: 0, contextWindow: 131072 } } });
 */
export type PriceOverrides = Record<string, ModelInfo>;

/**
 * The price table in use (`client.prices`).
 *
 * @example
 * console.log(client.prices.snapshotDate, client.prices.lookup('openai', 'openai', 'gpt-4o'));
 */
export type PriceTable = {
  /** The bundled snapshot's date (ISO day) and source commit. */
  readonly snapshotDate: string;
  readonly sourceCommit: string;
  /** `kind` is the provider's wire protocol: bundled OpenAI prices never apply to a compatible server. */
  lookup(provider: string, kind: string, model: string): ModelInfo | undefined;
};

type BundledEntry = ModelInfo & { provider: string };
const models = bundled.models as Record<string, BundledEntry>;

/**
 * The price table: the bundled LiteLLM snapshot plus the caller's overrides.
 *
 * @example
 * const prices = createPriceTable({ 'local/llama-3.1-8b': { input: 0, output: 0, contextWindow: 131072 } });
 * prices.lookup('openai', 'openai', 'gpt-5.6-luna')?.input // 1 (USD per million tokens)
 */
export function createPriceTable(overrides: PriceOverrides = {}): PriceTable {
  const cache = new Map<string, ModelInfo | undefined>();
  return {
    snapshotDate: bundled.snapshotDate,
    sourceCommit: bundled.sourceCommit,
    lookup(provider, kind, model) {
      const key = `${provider}/${model}`;
      if (cache.has(key)) return cache.get(key);
      const entry = Object.hasOwn(models, model) ? models[model] : undefined;
      const base = entry !== undefined && entry.provider === kind ? entry : undefined;
      const override = Object.hasOwn(overrides, key) ? overrides[key] : undefined;
      let info: ModelInfo | undefined;
      if (base !== undefined || override !== undefined) {
        const { provider: _provider, ...fields } = base ?? { provider: '' };
        info = { ...fields, ...override };
      }
      cache.set(key, info);
      return info;
    },
  };
}
