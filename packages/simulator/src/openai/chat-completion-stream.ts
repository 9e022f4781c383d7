import type { EventStream } from '../deliver-response.ts';
import type { ModelSpec } from '../model-table.ts';
import type { ReplyPlan } from '../plan-reply.ts';
import type { GenerationUsage } from '../serve-generation.ts';
import { splitPieces } from '../split-pieces.ts';
import { openAIFinishReason, openAIUsage } from './openai-usage.ts';

/**
 * The SSE frames of a streamed chat completion: a role chunk, one chunk per content piece, the
 * finish chunk, the usage chunk when `include_usage` asked for it, `[DONE]`. Tool calls stream
 * one after another: a chunk opening call `index` (id, name, empty arguments; the first rides on
 * the role chunk), then its argument pieces under the same `index`.
 */
export function chatCompletionStream(
  plan: ReplyPlan,
  usage: GenerationUsage,
  id: string,
  model: ModelSpec,
  callIds: readonly string[],
  includeUsage: boolean,
): EventStream {
  const created = Math.floor(Date.now() / 1000);
  const prefix = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model.id)},"service_tier":"default","system_fingerprint":"fp_reins_sim","choices":`;
  const suffix = includeUsage ? ',"usage":null}' : '}';
  const chunk = (delta: unknown, finish: string | null = null) =>
    `data: ${prefix}[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]${suffix}\n\n`;
  const frames: string[] = [];
  if (plan.toolCalls.length > 0) {
    for (const [index, call] of plan.toolCalls.entries()) {
      const opening = {
        index,
        id: callIds[index],
        type: 'function',
        function: { name: call.name, arguments: '' },
      };
      frames.push(
        chunk(
          index === 0
            ? { role: 'assistant', content: null, tool_calls: [opening], refusal: null }
            : { tool_calls: [opening] },
        ),
      );
      for (const piece of splitPieces(call.arguments))
        frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
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
