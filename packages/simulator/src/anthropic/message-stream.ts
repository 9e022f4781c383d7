import type { EventStream } from '../deliver-response.ts';
import type { ModelSpec } from '../model-table.ts';
import type { ReplyPlan } from '../plan-reply.ts';
import type { GenerationUsage } from '../serve-generation.ts';
import { splitPieces } from '../split-pieces.ts';
import { anthropicStop, anthropicUsage } from './anthropic-usage.ts';

const frame = (event: string, data: string) => `event: ${event}\ndata: ${data}\n\n`;

/**
 * The real event sequence: `message_start`, `content_block_start`, `ping`, `content_block_delta`
 * (`text_delta` or `input_json_delta`) per piece, `content_block_stop`, `message_delta` with the
 * stop reason and cumulative usage, `message_stop`.
 */
export function messageStream(
  plan: ReplyPlan,
  usage: GenerationUsage,
  id: string,
  model: ModelSpec,
  toolUseId: string,
): EventStream {
  const { stopReason, stopDetails } = anthropicStop(plan.finish);
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model: model.id,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: anthropicUsage(usage, 1),
  };
  const frames = [frame('message_start', JSON.stringify({ type: 'message_start', message }))];
  const toolCall = plan.toolCall;
  const block = toolCall
    ? { type: 'tool_use', id: toolUseId, name: toolCall.name, input: {}, caller: { type: 'direct' } }
    : { type: 'text', text: '', citations: null };
  frames.push(
    frame(
      'content_block_start',
      JSON.stringify({ type: 'content_block_start', index: 0, content_block: block }),
    ),
  );
  frames.push(frame('ping', '{"type": "ping"}'));
  const firstContent = frames.length;
  for (const piece of splitPieces(toolCall ? toolCall.arguments : plan.text)) {
    const delta = toolCall
      ? { type: 'input_json_delta', partial_json: piece }
      : { type: 'text_delta', text: piece };
    frames.push(
      frame('content_block_delta', JSON.stringify({ type: 'content_block_delta', index: 0, delta })),
    );
  }
  const lastContent = frames.length - 1;
  frames.push(frame('content_block_stop', '{"type":"content_block_stop","index":0}'));
  const usageFrame = frames.length;
  const { service_tier: _tier, cache_creation: _breakdown, ...finalUsage } = anthropicUsage(usage);
  frames.push(
    frame(
      'message_delta',
      JSON.stringify({
        type: 'message_delta',
        delta: {
          stop_reason: stopReason,
          stop_sequence: plan.stopSequence ?? null,
          stop_details: stopDetails,
          container: null,
        },
        usage: finalUsage,
      }),
    ),
  );
  frames.push(frame('message_stop', '{"type":"message_stop"}'));
  return { frames, firstContent, lastContent, usageFrame };
}
