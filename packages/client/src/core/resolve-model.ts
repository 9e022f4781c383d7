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
