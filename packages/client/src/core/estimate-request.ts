import { computeCost } from '../pricing/compute-cost.ts';
import type { ProviderRequest } from '../providers/provider.ts';
import type { ClientRuntime } from './client-runtime.ts';
import type { ResolvedModel } from './resolve-model.ts';
import type { Estimate } from './result.ts';

/**
 * The pre-call estimate of a prepared request. OpenAI (and compatible) prompts are counted
 * exactly with o200k and OpenAI's chat framing; Anthropic prompts with the local estimate, or
 * with the provider's `count_tokens` endpoint when the client has `exactTokenCounts`.
 *
 * @example
 * const { inputTokens, maxCostUsd } = await estimateRequest(runtime, model, request);
 */
export async function estimateRequest(
  runtime: ClientRuntime,
  model: ResolvedModel,
  request: ProviderRequest,
): Promise<Estimate> {
  const provider = model.provider;
  let inputTokens: number;
  let exact = provider.kind === 'openai';
  if (runtime.exactTokenCounts && provider.countTokens !== undefined) {
    inputTokens = await provider.countTokens(request);
    exact = true;
  } else {
    inputTokens = provider.estimateInputTokens(request);
  }
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
