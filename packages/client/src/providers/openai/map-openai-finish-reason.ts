import type { FinishReason } from '../provider.ts';

/**
 * OpenAI's `finish_reason` in Reins's words. A refusal arrives as `stop` with a `refusal` text,
 * so the caller passes `refused` to turn it into `content-filter`.
 *
 * @example
 * mapOpenAIFinishReason('tool_calls') // 'tool-calls'
 */
export function mapOpenAIFinishReason(reason: string | null | undefined, refused = false): FinishReason {
  if (refused) return 'content-filter';
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}
