import type { Usage } from '../../record/call-record.ts';

/** The slice of Anthropic's `Usage` / `MessageDeltaUsage` that Reins reads. */
export type AnthropicUsage = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
};

/**
 * Anthropic usage → Reins usage. Anthropic's `input_tokens` EXCLUDES cache reads and writes, so
 * the total is the sum of the three (the bug that makes other tools under-count cached calls).
 * The 1-hour share of cache writes comes from `cache_creation` when present, else from the TTL
 * the request asked for.
 *
 * @example
 * mapAnthropicUsage({ input_tokens: 10, cache_read_input_tokens: 5000, output_tokens: 20 }).inputTokens // 5010
 */
export function mapAnthropicUsage(
  usage: AnthropicUsage | null | undefined,
  requestedTtl?: '5m' | '1h',
): Usage {
  const read = usage?.cache_read_input_tokens ?? 0;
  const write = usage?.cache_creation_input_tokens ?? 0;
  const breakdown = usage?.cache_creation;
  const write1h =
    breakdown !== null && breakdown !== undefined && typeof breakdown.ephemeral_1h_input_tokens === 'number'
      ? breakdown.ephemeral_1h_input_tokens
      : requestedTtl === '1h'
        ? write
        : 0;
  const result: Usage = {
    inputTokens: (usage?.input_tokens ?? 0) + read + write,
    cachedInputTokens: read,
    cacheWriteTokens: write,
    outputTokens: usage?.output_tokens ?? 0,
    reasoningTokens: usage?.output_tokens_details?.thinking_tokens ?? 0,
  };
  if (write1h > 0) result.cacheWrite1hTokens = write1h;
  return result;
}
