import type { GenerationUsage } from '../serve-generation.ts';

/** `usage` of a Message: `input_tokens` excludes cache reads and writes, as the real API does. */
export function anthropicUsage(
  usage: GenerationUsage,
  outputTokens = usage.outputTokens,
): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens - usage.cachedTokens - usage.writtenTokens,
    cache_creation_input_tokens: usage.writtenTokens,
    cache_read_input_tokens: usage.cachedTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.writtenTokens - usage.written1h,
      ephemeral_1h_input_tokens: usage.written1h,
    },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

const STOP_REASONS: Record<string, string> = {
  stop: 'end_turn',
  stop_sequence: 'stop_sequence',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/** Anthropic's `stop_reason` (and `stop_details` for a refusal) for a planned reply. */
export function anthropicStop(finish: string): { stopReason: string; stopDetails: unknown } {
  const stopReason = STOP_REASONS[finish] ?? 'end_turn';
  return {
    stopReason,
    stopDetails: stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null,
  };
}
