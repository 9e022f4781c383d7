/** One simulated model. */
export interface ModelSpec {
  id: string;
  provider: 'openai' | 'anthropic';
  /** Maximum input tokens (the provider's context window for the prompt). */
  contextWindow: number;
  maxOutputTokens: number;
  /** Anthropic: the shortest prefix a `cache_control` breakpoint will cache. */
  minCacheableTokens?: number;
  /** Realistic profile: median time to first token for a short prompt. */
  ttftMs?: number;
  /** Realistic profile: median output speed. */
  tokensPerSecond?: number;
  /** OpenAI: report `prompt_tokens_details.cache_write_tokens` (GPT-5.6 family). */
  reportsCacheWrites?: boolean;
  /** `owned_by` in `GET /v1/models`. */
  ownedBy?: string;
}

/**
 * Built-in models. Context windows and output limits come from LiteLLM's
 * `model_prices_and_context_window.json` (`max_input_tokens`, `max_output_tokens`,
 * `prompt_cache_min_tokens`); the open models use common local-serving defaults. TTFT and
 * tokens/s are rounded public medians, only used by the `realistic` profile.
 */
export const BUILT_IN_MODELS: readonly ModelSpec[] = [
  openai('gpt-5.6-sol', 1_050_000, 128_000, 1600, 100, true),
  openai('gpt-5.6-terra', 1_050_000, 128_000, 1000, 140, true),
  openai('gpt-5.6-luna', 1_050_000, 128_000, 600, 200, true),
  openai('gpt-5.5', 1_050_000, 128_000, 1400, 110),
  openai('gpt-5.4', 1_050_000, 128_000, 1200, 120),
  openai('gpt-5.4-mini', 1_050_000, 128_000, 600, 180),
  openai('gpt-4.1', 1_047_576, 32_768, 600, 110),
  openai('gpt-4.1-mini', 1_047_576, 32_768, 500, 150),
  openai('gpt-4o', 128_000, 16_384, 500, 120),
  openai('gpt-4o-mini', 128_000, 16_384, 450, 150),
  { ...openai('llama-3.1-8b', 131_072, 8_192, 450, 200), ownedBy: 'meta' },
  { ...openai('qwen-3-8b', 32_768, 8_192, 500, 180), ownedBy: 'qwen' },
  // Tiny windows so tests can overflow a context without megabyte prompts.
  { ...openai('gpt-sim-tiny', 512, 128, 450, 200), ownedBy: 'reins-simulator' },
  anthropic('claude-opus-4-8', 1_000_000, 128_000, 1024, 1600, 100),
  anthropic('claude-opus-4-7', 1_000_000, 128_000, 2048, 1500, 100),
  anthropic('claude-sonnet-5', 1_000_000, 128_000, 1024, 1100, 130),
  anthropic('claude-sonnet-4-6', 1_000_000, 64_000, 1024, 1200, 120),
  anthropic('claude-haiku-4-5', 200_000, 64_000, 4096, 600, 200),
  anthropic('claude-sim-tiny', 512, 128, 64, 450, 200),
];

function openai(
  id: string,
  contextWindow: number,
  maxOutputTokens: number,
  ttftMs: number,
  tokensPerSecond: number,
  reportsCacheWrites = false,
): ModelSpec {
  return {
    id,
    provider: 'openai',
    contextWindow,
    maxOutputTokens,
    ttftMs,
    tokensPerSecond,
    reportsCacheWrites,
    ownedBy: 'openai',
  };
}

function anthropic(
  id: string,
  contextWindow: number,
  maxOutputTokens: number,
  minCacheableTokens: number,
  ttftMs: number,
  tokensPerSecond: number,
): ModelSpec {
  return {
    id,
    provider: 'anthropic',
    contextWindow,
    maxOutputTokens,
    minCacheableTokens,
    ttftMs,
    tokensPerSecond,
    ownedBy: 'anthropic',
  };
}

/** Models by provider and id; `extra` entries add models or replace built-ins with the same id. */
export interface ModelTable {
  find(provider: 'openai' | 'anthropic', id: string): ModelSpec | undefined;
  list(provider: 'openai' | 'anthropic'): ModelSpec[];
}

/**
 * @example
 * const table = createModelTable([{ id: 'mini', provider: 'openai', contextWindow: 100, maxOutputTokens: 10 }]);
 * table.find('openai', 'mini')?.contextWindow; // 100
 */
export function createModelTable(extra: readonly ModelSpec[] = []): ModelTable {
  const byKey = new Map<string, ModelSpec>();
  for (const model of [...BUILT_IN_MODELS, ...extra]) {
    const base = byKey.get(`${model.provider}:${model.id}`);
    byKey.set(`${model.provider}:${model.id}`, { ...base, ...model });
  }
  return {
    find: (provider, id) => byKey.get(`${provider}:${id}`),
    list: (provider) => [...byKey.values()].filter((model) => model.provider === provider),
  };
}
