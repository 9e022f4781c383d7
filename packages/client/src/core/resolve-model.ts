import { ConfigurationError } from '../errors/configuration-error.ts';
import type { ModelInfo } from '../pricing/price-table.ts';
import type { Provider } from '../providers/provider.ts';
import type { ClientRuntime } from './client-runtime.ts';

export type ResolvedModel = {
  /** `provider/model` as the caller wrote it. */
  id: string;
  provider: Provider;
  /** The provider's own model id. */
  modelId: string;
  info: ModelInfo | undefined;
};

// Resolved models per client runtime, by `provider/model`: the same few ids recur on every call,
// and a resolution slices the id, finds the provider and looks up the price table (whose key is
// built per lookup). Bounded, since any model id of a configured provider resolves.
const MAX_RESOLVED = 256;
const resolved = new WeakMap<ClientRuntime, Map<string, ResolvedModel>>();

/**
 * Splits `provider/model` at the first slash (model ids may contain more) and finds the
 * configured provider and the model's prices and limits.
 *
 * @example
 * resolveModel(runtime, 'local/meta-llama/Llama-3.1-8B') // provider 'local', modelId 'meta-llama/Llama-3.1-8B'
 */
export function resolveModel(runtime: ClientRuntime, model: string | undefined): ResolvedModel {
  const id = model ?? runtime.defaults.model;
  if (id === undefined || id === '') {
    throw new ConfigurationError('No model: pass `model: "provider/model"` or set `defaults.model`.');
  }
  let cache = resolved.get(runtime);
  if (cache === undefined) {
    cache = new Map();
    resolved.set(runtime, cache);
  }
  const known = cache.get(id);
  if (known !== undefined) return known;
  const result = resolveUncached(runtime, id);
  if (cache.size >= MAX_RESOLVED) cache.clear();
  cache.set(id, result);
  return result;
}

function resolveUncached(runtime: ClientRuntime, id: string): ResolvedModel {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1) {
    throw new ConfigurationError(
      `Model "${id}" is not of the form "provider/model" (e.g. "openai/gpt-5.6-luna").`,
    );
  }
  const providerName = id.slice(0, slash);
  const provider = runtime.providers.get(providerName);
  if (provider === undefined) {
    throw new ConfigurationError(
      `Unknown provider "${providerName}" in "${id}"; configured: ${[...runtime.providers.keys()].join(', ') || 'none'}.`,
      { provider: providerName },
    );
  }
  const modelId = id.slice(slash + 1);
  return { id, provider, modelId, info: runtime.prices.lookup(providerName, provider.kind, modelId) };
}
