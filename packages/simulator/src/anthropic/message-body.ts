import type { ModelSpec } from '../model-table.ts';
import type { ReplyPlan } from '../plan-reply.ts';
import type { GenerationUsage } from '../serve-generation.ts';
import { anthropicStop, anthropicUsage } from './anthropic-usage.ts';

/** The content blocks of a reply: one text block, or one `tool_use` block. */
export function messageContent(plan: ReplyPlan, toolUseId: string): Array<Record<string, unknown>> {
  if (!plan.toolCall) return [{ type: 'text', text: plan.text, citations: null }];
  let input: unknown = {};
  try {
    input = JSON.parse(plan.toolCall.arguments);
  } catch {
    // Arguments cut by max_tokens: the block keeps an empty input, as a cut tool call has none.
  }
  return [{ type: 'tool_use', id: toolUseId, name: plan.toolCall.name, input, caller: { type: 'direct' } }];
}

/** A non-streaming `message` object. */
export function messageBody(
  plan: ReplyPlan,
  usage: GenerationUsage,
  id: string,
  model: ModelSpec,
  toolUseId: string,
): string {
  const { stopReason, stopDetails } = anthropicStop(plan.finish);
  return JSON.stringify({
    id,
    type: 'message',
    role: 'assistant',
    model: model.id,
    content: messageContent(plan, toolUseId),
    stop_reason: stopReason,
    stop_sequence: plan.stopSequence ?? null,
    stop_details: stopDetails,
    container: null,
    usage: anthropicUsage(usage),
  });
}
