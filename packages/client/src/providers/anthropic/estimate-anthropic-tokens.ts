import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages/messages';

// Claude's tokenizer is not public. English prose runs at about 3.5 characters per token; the
// per-block framing and the flat image cost are calibrated against the simulator's documented
// rule (docs/simulator.md). Tolerance: see docs/client.md "Token estimates".
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_TOOL = 5;
const TOKENS_PER_TOOL_BLOCK = 3;
const IMAGE_TOKENS = 1600;

function textTokens(text: string): number {
  // ⌈length / 3.5⌉ in integers, so no float rounding lands a whole quotient on the next token.
  return Math.ceil((text.length * 2) / 7);
}

function blockTokens(block: Record<string, unknown>): number {
  switch (block['type']) {
    case 'text':
      return textTokens(String(block['text'] ?? ''));
    case 'image':
    case 'document':
      return IMAGE_TOKENS;
    case 'tool_use':
      return (
        TOKENS_PER_TOOL_BLOCK +
        textTokens(String(block['name'] ?? '')) +
        textTokens(JSON.stringify(block['input'] ?? {}))
      );
    case 'tool_result': {
      const content = block['content'];
      let tokens = TOKENS_PER_TOOL_BLOCK;
      if (typeof content === 'string') tokens += textTokens(content);
      else if (Array.isArray(content))
        for (const part of content) tokens += blockTokens(part as Record<string, unknown>);
      return tokens;
    }
    default:
      return textTokens(JSON.stringify(block));
  }
}

/**
 * A local estimate of a Messages body's input tokens (what `input_tokens` + cache reads + cache
 * writes add up to): ⌈characters / 3.5⌉ per text, plus framing per message, tool and tool block,
 * 1,600 per image. No network; use the client's `exactTokenCounts` for the provider's own count.
 *
 * @example
 * estimateAnthropicTokens({ model: 'claude-haiku-4-5', max_tokens: 10,
 *   messages: [{ role: 'user', content: 'Hello, Claude' }] }) // 7
 */
export function estimateAnthropicTokens(body: MessageCreateParamsBase): number {
  let total = 0;
  for (const tool of (body.tools ?? []) as unknown as Array<Record<string, unknown>>) {
    total +=
      tool['input_schema'] === undefined
        ? TOKENS_PER_TOOL + textTokens(JSON.stringify(tool))
        : TOKENS_PER_TOOL +
          textTokens(String(tool['name'] ?? '')) +
          textTokens(String(tool['description'] ?? '')) +
          textTokens(JSON.stringify(tool['input_schema']));
  }
  if (typeof body.system === 'string') total += textTokens(body.system);
  else
    for (const block of body.system ?? []) total += blockTokens(block as unknown as Record<string, unknown>);
  for (const message of body.messages) {
    total += TOKENS_PER_MESSAGE;
    if (typeof message.content === 'string') total += textTokens(message.content);
    else
      for (const block of message.content) total += blockTokens(block as unknown as Record<string, unknown>);
  }
  return total;
}
