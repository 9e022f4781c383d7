import type { ModelSpec } from '../model-table.ts';
import type { ReplyPlan } from '../plan-reply.ts';
import type { GenerationUsage } from '../serve-generation.ts';
import { anthropicStop, anthropicUsage } from './anthropic-usage.ts';

/** The content blocks of a reply: one text block, or one `tool_use` block per tool call. */
export function messageContent(
  plan: ReplyPlan,
  toolUseIds: readonly string[],
): Array<Record<string, unknown>> {
  if (plan.toolCalls.length === 0) return [{ type: 'text', text: plan.text, citations: null }];
  return plan.toolCalls.map((call, index) => ({
    type: 'tool_use',
    id: toolUseIds[index],
    name: call.name,
    input: parsedInput(call.arguments),
    caller: { type: 'direct' },
  }));
}

function parsedInput(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    // Arguments cut by max_tokens: the block keeps an empty input, as a cut tool call has none.
    return {};
  }
}

/** A non-streaming `message` object. */
export function messageBody(
  plan: ReplyPlan,
  usage: GenerationUsage,
  id: string,
  model: ModelSpec,
  toolUseIds: readonly string[],
): string {
  const { stopReason, stopDetails } = anthropicStop(plan.finish);
  return JSON.stringify({
    id,
    type: 'message',
    role: 'assistant',
    model: model.id,
    content: messageContent(plan, toolUseIds),
    stop_reason: stopReason,
    stop_sequence: plan.stopSequence ?? null,
    stop_details: stopDetails,
    container: null,
    usage: anthropicUsage(usage),
  });
}
