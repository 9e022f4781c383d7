import type { ContentPart, Message } from '../messages.ts';
import { stripBase64FromText } from './strip-images.ts';

function partText(part: ContentPart): string {
  switch (part.type) {
    case 'text':
      return stripBase64FromText(part.text);
    case 'image':
      return part.data !== undefined
        ? `[image ${part.mediaType}]`
        : `[image ${stripBase64FromText(part.url)}]`;
    case 'tool-call':
      return `[tool-call ${part.name} #${part.id}] ${JSON.stringify(part.input)}`;
    case 'tool-result':
      return `[tool-result #${part.id}${part.isError ? ' error' : ''}] ${
        typeof part.output === 'string' ? part.output : JSON.stringify(part.output)
      }`;
  }
}

/**
 * Flattens a prompt into the text a person reads in the prompt log: one `[role] …` block per
 * message, tool calls and results inline, images as placeholders (run `stripImages` first to get
 * the size and hash into the placeholder).
 *
 * @example
 * flattenPrompt('Be brief.', [{ role: 'user', content: 'Hi' }]) // '[system] Be brief.\n\n[user] Hi'
 */
export function flattenPrompt(system: string | undefined, messages: Message[]): string {
  const blocks: string[] = [];
  if (system !== undefined && system !== '') blocks.push(`[system] ${stripBase64FromText(system)}`);
  for (const message of messages) {
    const text =
      typeof message.content === 'string'
        ? stripBase64FromText(message.content)
        : message.content.map(partText).join('\n');
    blocks.push(`[${message.role}] ${text}`);
  }
  return blocks.join('\n\n');
}
