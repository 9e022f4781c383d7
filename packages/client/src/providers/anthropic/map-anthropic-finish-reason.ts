import type { FinishReason } from '../provider.ts';

/**
 * Anthropic's `stop_reason` in Reins's words.
 *
 * @example
 * mapAnthropicFinishReason('end_turn') // 'stop'
 */
export function mapAnthropicFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}
