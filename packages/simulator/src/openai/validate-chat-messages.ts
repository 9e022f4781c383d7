import type { ErrorResponse } from '../simulator-context.ts';
import { invalidParameter as invalid, invalidType } from './openai-error.ts';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
/**
 * Checks roles, contents and parts, and that tool messages answer the preceding assistant's
 * `tool_calls` (and all of them), with the real API's messages.
 */
export function validateChatMessages(messages: unknown[]): ErrorResponse | undefined {
  let pendingCalls: Set<string> | undefined;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as Record<string, unknown>;
    const at = `messages[${index}]`;
    if (typeof message !== 'object' || message === null || Array.isArray(message))
      return invalidType(at, 'an object', message);
    const role = message['role'];
    if (role === undefined)
      return invalid(`Missing required parameter: '${at}.role'.`, `${at}.role`, 'missing_required_parameter');
    if (typeof role !== 'string' || !ROLES.has(role)) {
      return invalid(
        `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `${at}.role`,
        'invalid_value',
      );
    }
    const content = message['content'];
    const hasCalls =
      role === 'assistant' && Array.isArray(message['tool_calls']) && message['tool_calls'].length > 0;
    if (content === undefined && !hasCalls && role !== 'assistant') {
      return invalid(
        `Missing required parameter: '${at}.content'.`,
        `${at}.content`,
        'missing_required_parameter',
      );
    }
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      return invalidType(`${at}.content`, 'one of a string or array of objects', content);
    }
    if (Array.isArray(content)) {
      const partError = validateParts(content, `${at}.content`);
      if (partError) return partError;
    }
    if (role === 'tool') {
      const id = message['tool_call_id'];
      if (typeof id !== 'string')
        return invalid(
          `Missing required parameter: '${at}.tool_call_id'.`,
          `${at}.tool_call_id`,
          'missing_required_parameter',
        );
      if (!pendingCalls?.has(id)) {
        return invalid(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `${at}.role`,
          null,
        );
      }
      pendingCalls.delete(id);
      continue;
    }
    if (pendingCalls && pendingCalls.size > 0) return unansweredCalls(pendingCalls, index);
    pendingCalls = undefined;
    if (hasCalls) {
      pendingCalls = new Set();
      for (const call of message['tool_calls'] as Array<Record<string, unknown>>) {
        if (typeof call?.['id'] === 'string') pendingCalls.add(call['id']);
      }
    }
  }
  if (pendingCalls && pendingCalls.size > 0) return unansweredCalls(pendingCalls, messages.length);
  return undefined;
}

const PART_TYPES = new Set(['text', 'image_url', 'input_audio', 'file', 'refusal']);

function validateParts(parts: unknown[], at: string): ErrorResponse | undefined {
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] as Record<string, unknown>;
    if (typeof part !== 'object' || part === null || Array.isArray(part))
      return invalidType(`${at}[${index}]`, 'an object', part);
    if (!PART_TYPES.has(String(part['type']))) {
      return invalid(
        `Invalid value: '${String(part['type'])}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', and 'file'.`,
        `${at}[${index}].type`,
        'invalid_value',
      );
    }
    if (part['type'] === 'text' && typeof part['text'] !== 'string')
      return invalidType(`${at}[${index}].text`, 'a string', part['text']);
  }
  return undefined;
}

function unansweredCalls(pending: Set<string>, index: number): ErrorResponse {
  return invalid(
    `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`,
    `messages.[${index}].role`,
    null,
  );
}
