import { ConfigurationError } from '../errors/configuration-error.ts';
import type { Message } from '../messages.ts';

/**
 * The request's conversation: `messages`, then `prompt` as a final user turn.
 *
 * @example
 * toMessages({ prompt: 'Hi' }) // [{ role: 'user', content: 'Hi' }]
 */
export function toMessages(request: { messages?: Message[]; prompt?: string }): Message[] {
  const messages = request.messages ?? [];
  if (request.prompt === undefined) {
    if (messages.length === 0) throw new ConfigurationError('A request needs `prompt` or `messages`.');
    return messages;
  }
  return [...messages, { role: 'user', content: request.prompt }];
}
