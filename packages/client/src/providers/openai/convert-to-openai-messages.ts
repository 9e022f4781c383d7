import type {
  ChatCompletionContentPart,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { ContentPart, Message } from '../../messages.ts';

function stringifyOutput(output: unknown): string {
  return typeof output === 'string' ? output : JSON.stringify(output);
}

function userPart(part: ContentPart): ChatCompletionContentPart | undefined {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image') {
    const url = part.data !== undefined ? `data:${part.mediaType};base64,${part.data}` : part.url;
    return { type: 'image_url', image_url: { url } };
  }
  return undefined;
}

/**
 * Reins messages → Chat Completions messages. The system prompt becomes the first message;
 * tool calls go on the assistant message; every tool result becomes its own `tool` message,
 * whichever role carried it (Anthropic puts them in user turns). Cache markers are dropped:
 * OpenAI caches prefixes automatically.
 *
 * @example
 * convertToOpenAIMessages('Be brief.', [{ role: 'user', content: 'Hi' }])
 * // [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]
 */
export function convertToOpenAIMessages(
  system: string | undefined,
  messages: Message[],
): ChatCompletionMessageParam[] {
  const result: ChatCompletionMessageParam[] = [];
  if (system !== undefined && system !== '') result.push({ role: 'system', content: system });
  for (const message of messages) {
    if (typeof message.content === 'string') {
      if (message.role === 'assistant') result.push({ role: 'assistant', content: message.content });
      else if (message.role === 'user') result.push({ role: 'user', content: message.content });
      else throw new TypeError('A tool message needs tool-result parts, not a string.');
      continue;
    }
    const toolResults = message.content.filter((part) => part.type === 'tool-result');
    for (const part of toolResults) {
      result.push({
        role: 'tool',
        tool_call_id: part.id,
        content: part.isError ? `Error: ${stringifyOutput(part.output)}` : stringifyOutput(part.output),
      });
    }
    const rest = message.content.filter((part) => part.type !== 'tool-result');
    if (rest.length === 0) continue;
    if (message.role === 'assistant') {
      const text = rest.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
      const toolCalls: ChatCompletionMessageFunctionToolCall[] = rest.flatMap((part) =>
        part.type === 'tool-call'
          ? [
              {
                id: part.id,
                type: 'function' as const,
                function: { name: part.name, arguments: JSON.stringify(part.input ?? {}) },
              },
            ]
          : [],
      );
      result.push({
        role: 'assistant',
        content: text === '' && toolCalls.length > 0 ? null : text,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      });
    } else {
      const parts = rest.flatMap((part) => {
        const converted = userPart(part);
        return converted === undefined ? [] : [converted];
      });
      const single = parts.length === 1 && parts[0]!.type === 'text' ? parts[0]!.text : undefined;
      result.push({ role: 'user', content: single ?? parts });
    }
  }
  return result;
}
