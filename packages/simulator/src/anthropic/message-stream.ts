import type { EventStream } from '../deliver-response.ts';
import type { ModelSpec } from '../model-table.ts';
import type { ReplyPlan } from '../plan-reply.ts';
import type { GenerationUsage } from '../serve-generation.ts';
import { splitPieces } from '../split-pieces.ts';
import { anthropicStop, anthropicUsage } from './anthropic-usage.ts';

const frame = (event: string, data: string) => `event: ${event}\ndata: ${data}\n\n`;

/**
 * The real event sequence: `message_start`, then per content block `content_block_start` (the
 * first followed by `ping`), a `content_block_delta` (`text_delta` or `input_json_delta`) per
 * piece and `content_block_stop`, with `index` counting the blocks (one text block, or one
 * `tool_use` block per tool call); then `message_delta` with the stop reason and cumulative
 * usage, `message_stop`.
 */
export function messageStream(
  plan: ReplyPlan,
  usage: GenerationUsage,
  id: string,
  model: ModelSpec,
  toolUseIds: readonly string[],
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
  const blocks =
    plan.toolCalls.length === 0
      ? [
          {
            block: { type: 'text', text: '', citations: null },
            deltas: splitPieces(plan.text).map((piece) => ({ type: 'text_delta', text: piece })),
          },
        ]
      : plan.toolCalls.map((call, index) => ({
          block: {
            type: 'tool_use',
            id: toolUseIds[index],
            name: call.name,
            input: {},
            caller: { type: 'direct' },
          },
          deltas: splitPieces(call.arguments).map((piece) => ({
            type: 'input_json_delta',
            partial_json: piece,
          })),
        }));
  for (const [index, { block, deltas }] of blocks.entries()) {
    frames.push(
      frame(
        'content_block_start',
        JSON.stringify({ type: 'content_block_start', index, content_block: block }),
      ),
    );
    if (index === 0) frames.push(frame('ping', '{"type": "ping"}'));
    for (const delta of deltas) {
      frames.push(
        frame('content_block_delta', JSON.stringify({ type: 'content_block_delta', index, delta })),
      );
    }
    frames.push(frame('content_block_stop', `{"type":"content_block_stop","index":${index}}`));
  }
  // message_start, the first content_block_start and ping go out at once (content starts after
  // them); the frame before the last content_block_stop ends the timed content.
  const firstContent = 3;
  const lastContent = frames.length - 2;
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
