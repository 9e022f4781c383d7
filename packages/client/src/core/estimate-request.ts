import { computeCost } from '../pricing/compute-cost.ts';
import type { Provider, ProviderRequest } from '../providers/provider.ts';
import type { ClientRuntime } from './client-runtime.ts';
import type { ResolvedModel } from './resolve-model.ts';
import type { Estimate } from './result.ts';

/**
 * The pre-call estimate of a prepared request. OpenAI (and compatible) prompts are counted
 * exactly with o200k and OpenAI's chat framing; Anthropic prompts with the local estimate, or
 * with the provider's `count_tokens` endpoint when the client has `exactTokenCounts`. Only that
 * endpoint makes it asynchronous: a local count returns the estimate itself, so a call does not
 * pay promise hops for a synchronous count.
 *
 * @example
 * const { inputTokens, maxCostUsd } = await estimateRequest(runtime, model, request);
 */
export function estimateRequest(
  runtime: ClientRuntime,
  model: ResolvedModel,
  request: ProviderRequest,
): Estimate | Promise<Estimate> {
  const provider = model.provider;
  if (runtime.exactTokenCounts && provider.countTokens !== undefined) {
    return countedEstimate(provider as Required<Pick<Provider, 'countTokens'>>, model, request);
  }
  return toEstimate(model, request, provider.estimateInputTokens(request), provider.kind === 'openai');
}

async function countedEstimate(
  provider: Required<Pick<Provider, 'countTokens'>>,
  model: ResolvedModel,
  request: ProviderRequest,
): Promise<Estimate> {
  return toEstimate(model, request, await provider.countTokens(request), true);
}

function toEstimate(
  model: ResolvedModel,
  request: ProviderRequest,
  inputTokens: number,
  exact: boolean,
): Estimate {
  const info = model.info;
  const maxOutputTokens = request.maxTokens ?? info?.maxOutput ?? null;
  const maxCostUsd =
    maxOutputTokens === null
      ? null
      : computeCost(
          {
            inputTokens,
            cachedInputTokens: 0,
            cacheWriteTokens: 0,
            outputTokens: maxOutputTokens,
            reasoningTokens: 0,
          },
          info,
        );
  return { inputTokens, maxOutputTokens, contextWindow: info?.contextWindow ?? null, maxCostUsd, exact };
}
