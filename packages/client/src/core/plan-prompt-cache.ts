import type { ProviderCachePlan, ProviderRequest } from '../providers/provider.ts';
import type { CallMetadata } from '../record/call-record.ts';
import type { ResolvedModel } from './resolve-model.ts';

const MAX_BREAKPOINTS = 4;
const DEFAULT_MIN_CACHEABLE = 1024;

/**
 * Where prompt-cache markers go for `cache: 'auto'`.
 *
 * Anthropic caches only what is marked, and only prefixes of at least the model's minimum
 * (1,024–4,096 tokens): candidate breakpoints are the end of the tools, the end of the system
 * prompt and every message the caller marked `cache: true`; those whose prefix reaches the
 * minimum are kept, at most four, preferring the last marked message, then system, then tools.
 * OpenAI caches automatically; a `prompt_cache_key` from the template name keeps requests that
 * share a prefix on the same cache.
 *
 * @example
 * planPromptCache(model, request, { template: { name: 'support-answer' } }, '5m')
 */
export function planPromptCache(
  model: ResolvedModel,
  request: ProviderRequest,
  metadata: CallMetadata | undefined,
  ttl: '5m' | '1h' | undefined,
): ProviderCachePlan | undefined {
  const kind = model.provider.kind;
  if (kind === 'openai') {
    const name = metadata?.template?.name;
    return name !== undefined ? { promptCacheKey: `reins:${name}` } : undefined;
  }
  if (kind !== 'anthropic') return undefined;

  const minimum = model.info?.minCacheableTokens ?? DEFAULT_MIN_CACHEABLE;
  const marked = request.messages.flatMap((message, index) => (message.cache === true ? [index] : []));
  const hasTools = (request.tools?.length ?? 0) > 0;
  const hasSystem = request.system !== undefined && request.system !== '';
  if (!hasTools && !hasSystem && marked.length === 0) return undefined;

  const prefix = (messages: ProviderRequest['messages'], system: string | undefined, tools: boolean) =>
    model.provider.estimateInputTokens({
      model: request.model,
      messages,
      ...(system !== undefined ? { system } : {}),
      ...(tools && request.tools !== undefined ? { tools: request.tools } : {}),
    });

  type Candidate = { kind: 'tools' | 'system' | 'message'; index: number; priority: number };
  const candidates: Candidate[] = [];
  if (hasTools && prefix([], undefined, true) >= minimum)
    candidates.push({ kind: 'tools', index: -2, priority: 2 });
  if (hasSystem && prefix([], request.system, true) >= minimum) {
    candidates.push({ kind: 'system', index: -1, priority: 1 });
  }
  marked.forEach((index, position) => {
    if (prefix(request.messages.slice(0, index + 1), request.system, true) < minimum) return;
    candidates.push({
      kind: 'message',
      index,
      priority: position === marked.length - 1 ? 0 : 3 + marked.length - position,
    });
  });
  if (candidates.length === 0) return undefined;
  const chosen = candidates.sort((a, b) => a.priority - b.priority).slice(0, MAX_BREAKPOINTS);
  const plan: ProviderCachePlan = {};
  if (chosen.some((candidate) => candidate.kind === 'tools')) plan.tools = true;
  if (chosen.some((candidate) => candidate.kind === 'system')) plan.system = true;
  const indexes = chosen.flatMap((candidate) => (candidate.kind === 'message' ? [candidate.index] : []));
  if (indexes.length > 0) plan.messageIndexes = indexes.sort((a, b) => a - b);
  if (ttl === '1h') plan.ttl = '1h';
  return plan;
}
