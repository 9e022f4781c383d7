import type { Usage } from '../../record/call-record.ts';

/** The slice of OpenAI's `CompletionUsage` that Reins reads. */
export type OpenAIUsage = {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
};

/**
 * OpenAI usage → Reins usage. `prompt_tokens` already includes cached and cache-written tokens,
 * so it is the total as is; `cache_write_tokens` is reported from GPT-5.6 on.
 *
 * @example
 * mapOpenAIUsage({ prompt_tokens: 2000, completion_tokens: 50,
 *   prompt_tokens_details: { cached_tokens: 1536 } }).cachedInputTokens // 1536
 */
export function mapOpenAIUsage(usage: OpenAIUsage | null | undefined): Usage {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: usage?.prompt_tokens_details?.cache_write_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}
