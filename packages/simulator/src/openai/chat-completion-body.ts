import type { ModelSpec } from '../model-table.ts';
import type { ReplyPlan } from '../plan-reply.ts';
import type { GenerationUsage } from '../serve-generation.ts';
import { openAIFinishReason, openAIUsage } from './openai-usage.ts';

/** A non-streaming `chat.completion` object. */
export function chatCompletionBody(
  plan: ReplyPlan,
  usage: GenerationUsage,
  id: string,
  model: ModelSpec,
  callIds: readonly string[],
): string {
  const message =
    plan.toolCalls.length > 0
      ? {
          role: 'assistant',
          content: null,
          tool_calls: plan.toolCalls.map((call, index) => ({
            id: callIds[index],
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          })),
          refusal: null,
          annotations: [],
        }
      : { role: 'assistant', content: plan.text, refusal: null, annotations: [] };
  return JSON.stringify({
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: model.id,
    choices: [{ index: 0, message, logprobs: null, finish_reason: openAIFinishReason(plan.finish) }],
    usage: openAIUsage(usage, model),
    service_tier: 'default',
    system_fingerprint: 'fp_reins_sim',
  });
}
