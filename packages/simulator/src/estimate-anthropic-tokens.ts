/** Fixed costs of the simulator's Anthropic estimate (documented in docs/simulator.md). */
export const ANTHROPIC_CHARACTERS_PER_TOKEN = 3.5;
export const ANTHROPIC_TOKENS_PER_MESSAGE = 3;
export const ANTHROPIC_TOKENS_PER_TOOL = 5;
export const ANTHROPIC_TOKENS_PER_TOOL_BLOCK = 3;
export const ANTHROPIC_IMAGE_TOKENS = 1600;

/** One cacheable unit of an Anthropic prompt, in prompt order (tools, system, messages). */
export interface PromptSegment {
  tokens: number;
  /** Canonical text of the segment; prompt caching hashes the chain of these. */
  text: string;
  /** Set when the block carries `cache_control`. */
  cacheTtl?: '5m' | '1h';
}

/**
 * Tokens of a text in the simulator's Anthropic estimate: one token per 3.5 UTF-16 code units,
 * rounded up. Claude's tokenizer is not public; this keeps counts deterministic and close.
 */
export function anthropicTextTokens(text: string): number {
  return Math.ceil((text.length * 2) / 7);
}

/**
 * Total input tokens the simulator bills for a Messages request (the sum of `input_tokens`,
 * `cache_read_input_tokens` and `cache_creation_input_tokens`), and what `count_tokens` returns.
 * Rule: tools 5 + text(name) + text(description) + text(JSON of input_schema) each; system text;
 * per message 3 + its blocks: text by its text, images and documents 1600, tool_use
 * 3 + text(name) + text(JSON of input), tool_result 3 + its content, anything else by its JSON.
 *
 * @example
 * estimateAnthropicTokens({ messages: [{ role: 'user', content: 'Hello, Claude' }] }); // 3 + 4 = 7
 */
export function estimateAnthropicTokens(body: unknown): number {
  let total = 0;
  for (const segment of anthropicPromptSegments(body)) total += segment.tokens;
  return total;
}

/** The prompt split at every block that may carry a `cache_control` breakpoint. */
export function anthropicPromptSegments(body: unknown): PromptSegment[] {
  const request = (body ?? {}) as Record<string, unknown>;
  const segments: PromptSegment[] = [];
  const tools = Array.isArray(request['tools']) ? (request['tools'] as Array<Record<string, unknown>>) : [];
  for (const tool of tools) {
    const text =
      tool?.['input_schema'] === undefined
        ? JSON.stringify(tool)
        : `${tool['name'] ?? ''}\n${tool['description'] ?? ''}\n${JSON.stringify(tool['input_schema'])}`;
    const tokens =
      tool?.['input_schema'] === undefined
        ? anthropicTextTokens(text)
        : anthropicTextTokens(String(tool['name'] ?? '')) +
          anthropicTextTokens(String(tool['description'] ?? '')) +
          anthropicTextTokens(JSON.stringify(tool['input_schema']));
    segments.push(withCache({ tokens: ANTHROPIC_TOKENS_PER_TOOL + tokens, text }, tool));
  }
  const system = request['system'];
  if (typeof system === 'string') segments.push({ tokens: anthropicTextTokens(system), text: system });
  else if (Array.isArray(system)) {
    for (const block of system as Array<Record<string, unknown>>) segments.push(blockSegment(block));
  }
  const messages = Array.isArray(request['messages'])
    ? (request['messages'] as Array<Record<string, unknown>>)
    : [];
  for (const message of messages) {
    const role = String(message?.['role'] ?? '');
    const content = message?.['content'];
    const blocks: PromptSegment[] =
      typeof content === 'string'
        ? [{ tokens: anthropicTextTokens(content), text: content }]
        : Array.isArray(content)
          ? (content as Array<Record<string, unknown>>).map(blockSegment)
          : [];
    const first = blocks[0] ?? { tokens: 0, text: '' };
    blocks[0] = {
      ...first,
      tokens: first.tokens + ANTHROPIC_TOKENS_PER_MESSAGE,
      text: `${role}:${first.text}`,
    };
    segments.push(...blocks);
  }
  const topLevel = request['cache_control'];
  const last = segments.at(-1);
  if (topLevel && last && last.cacheTtl === undefined)
    segments[segments.length - 1] = withCache(last, request);
  return segments;
}

function blockSegment(block: Record<string, unknown>): PromptSegment {
  return withCache({ tokens: blockTokens(block), text: blockText(block) }, block);
}

function blockTokens(block: Record<string, unknown>): number {
  switch (block?.['type']) {
    case 'text':
      return anthropicTextTokens(String(block['text'] ?? ''));
    case 'image':
    case 'document':
      return ANTHROPIC_IMAGE_TOKENS;
    case 'tool_use':
      return (
        ANTHROPIC_TOKENS_PER_TOOL_BLOCK +
        anthropicTextTokens(String(block['name'] ?? '')) +
        anthropicTextTokens(JSON.stringify(block['input'] ?? {}))
      );
    case 'tool_result': {
      const content = block['content'];
      let tokens = ANTHROPIC_TOKENS_PER_TOOL_BLOCK;
      if (typeof content === 'string') tokens += anthropicTextTokens(content);
      else if (Array.isArray(content)) for (const part of content) tokens += blockTokens(part);
      return tokens;
    }
    case 'thinking':
      return anthropicTextTokens(String(block['thinking'] ?? ''));
    default:
      return anthropicTextTokens(JSON.stringify(block ?? null));
  }
}

function blockText(block: Record<string, unknown>): string {
  if (block?.['type'] === 'text') return String(block['text'] ?? '');
  const { cache_control: _ignored, ...rest } = block ?? {};
  return JSON.stringify(rest);
}

function withCache(segment: PromptSegment, holder: Record<string, unknown> | undefined): PromptSegment {
  const control = holder?.['cache_control'] as Record<string, unknown> | null | undefined;
  if (!control || typeof control !== 'object') return segment;
  return { ...segment, cacheTtl: control['ttl'] === '1h' ? '1h' : '5m' };
}
