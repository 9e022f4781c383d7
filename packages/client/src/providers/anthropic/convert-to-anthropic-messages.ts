import type {
  Base64ImageSource,
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { ContentPart, Message } from '../../messages.ts';

type CacheControl = { type: 'ephemeral'; ttl?: '5m' | '1h' };

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function outputText(output: unknown): string {
  return typeof output === 'string' ? output : JSON.stringify(output);
}

function convertPart(part: ContentPart): ContentBlockParam | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { type: 'text', text: part.text };
    case 'image': {
      if (part.data !== undefined) {
        return {
          type: 'image',
          source: {
            type: 'base64',
            media_type: part.mediaType as Base64ImageSource['media_type'],
            data: part.data,
          },
        };
      }
      const inline = DATA_URL.exec(part.url);
      if (inline !== null) {
        return {
          type: 'image',
          source: {
            type: 'base64',
            media_type: inline[1] as Base64ImageSource['media_type'],
            data: inline[2]!,
          },
        };
      }
      return { type: 'image', source: { type: 'url', url: part.url } };
    }
    case 'tool-call':
      return { type: 'tool_use', id: part.id, name: part.name, input: part.input ?? {} };
    case 'tool-result':
      return {
        type: 'tool_result',
        tool_use_id: part.id,
        content: outputText(part.output),
        ...(part.isError ? { is_error: true } : {}),
      };
  }
}

/**
 * Reins messages → Anthropic Messages: `tool` turns become user turns carrying `tool_result`
 * blocks, consecutive turns of one role are merged (the API wants them alternating), and the
 * last block of every message listed in `cacheIndexes` gets a `cache_control` breakpoint.
 *
 * @example
 * convertToAnthropicMessages([{ role: 'user', content: 'Hi' }]) // [{ role: 'user', content: 'Hi' }]
 */
export function convertToAnthropicMessages(
  messages: Message[],
  cacheIndexes: readonly number[] = [],
  cacheControl: CacheControl = { type: 'ephemeral' },
): MessageParam[] {
  const result: MessageParam[] = [];
  messages.forEach((message, index) => {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const cached = cacheIndexes.includes(index);
    let content: string | ContentBlockParam[];
    if (typeof message.content === 'string') {
      content = cached
        ? [{ type: 'text', text: message.content, cache_control: cacheControl }]
        : message.content;
    } else {
      const blocks = message.content.flatMap((part) => {
        const block = convertPart(part);
        return block === undefined ? [] : [block];
      });
      if (cached && blocks.length > 0) {
        const last = blocks[blocks.length - 1]! as TextBlockParam;
        blocks[blocks.length - 1] = { ...last, cache_control: cacheControl } as ContentBlockParam;
      }
      content = blocks;
    }
    const previous = result[result.length - 1];
    if (previous !== undefined && previous.role === role) {
      const toBlocks = (value: string | ContentBlockParam[]): ContentBlockParam[] =>
        typeof value === 'string' ? [{ type: 'text', text: value }] : value;
      previous.content = [
        ...toBlocks(previous.content as string | ContentBlockParam[]),
        ...toBlocks(content),
      ];
    } else {
      result.push({ role, content } as MessageParam);
    }
  });
  return result;
}
