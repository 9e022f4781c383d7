import type { ModelSpec } from '../model-table.ts';
import type { GenerationUsage } from '../serve-generation.ts';

/** `usage` of a chat completion; GPT-5.6 models also report `cache_write_tokens`. */
export function openAIUsage(usage: GenerationUsage, model: ModelSpec): Record<string, unknown> {
  const promptDetails: Record<string, number> = { cached_tokens: usage.cachedTokens, audio_tokens: 0 };
  if (model.reportsCacheWrites) promptDetails['cache_write_tokens'] = usage.writtenTokens;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** OpenAI's `finish_reason` for a planned reply. */
export function openAIFinishReason(finish: string): string {
  return finish === 'stop_sequence' ? 'stop' : finish;
}
