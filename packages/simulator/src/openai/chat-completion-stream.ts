import type { EventStream } from '../deliver-response.ts';
import type { ModelSpec } from '../model-table.ts';
import type { ReplyPlan } from '../plan-reply.ts';
import type { GenerationUsage } from '../serve-generation.ts';
import { splitPieces } from '../split-pieces.ts';
import { openAIFinishReason, openAIUsage } from './openai-usage.ts';

/**
 * The SSE frames of a streamed chat completion: a role chunk, one chunk per content (or tool
 * argument) piece, the finish chunk, the usage chunk when `include_usage` asked for it, `[DONE]`.
 */
export function chatCompletionStream(
  plan: ReplyPlan,
  usage: GenerationUsage,
  id: string,
  model: ModelSpec,
  callId: string,
  includeUsage: boolean,
): EventStream {
  const created = Math.floor(Date.now() / 1000);
  const prefix = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model.id)},"service_tier":"default","system_fingerprint":"fp_reins_sim","choices":`;
  const suffix = includeUsage ? ',"usage":null}' : '}';
  const chunk = (delta: unknown, finish: string | null = null) =>
    `data: ${prefix}[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]${suffix}\n\n`;
  const frames: string[] = [];
  if (plan.toolCall) {
    frames.push(
      chunk({
        role: 'assistant',
        content: null,
        tool_calls: [
          { index: 0, id: callId, type: 'function', function: { name: plan.toolCall.name, arguments: '' } },
        ],
        refusal: null,
      }),
    );
    for (const piece of splitPieces(plan.toolCall.arguments))
      frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
  } else {
    frames.push(chunk({ role: 'assistant', content: '', refusal: null }));
    for (const piece of splitPieces(plan.text)) frames.push(chunk({ content: piece }));
  }
  const lastContent = frames.length - 1;
  frames.push(chunk({}, openAIFinishReason(plan.finish)));
  let usageFrame = -1;
  if (includeUsage) {
    usageFrame = frames.length;
    frames.push(`data: ${prefix}[],"usage":${JSON.stringify(openAIUsage(usage, model))}}\n\n`);
  }
  frames.push('data: [DONE]\n\n');
  return { frames, firstContent: 1, lastContent, usageFrame };
}
