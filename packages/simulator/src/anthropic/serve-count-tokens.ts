import type { IncomingMessage, ServerResponse } from 'node:http';
import { estimateAnthropicTokens } from '../estimate-anthropic-tokens.ts';
import { BodyTooLargeError, nextId, readBody, sendJson } from '../http-io.ts';
import type { ErrorResponse, SimulatorContext } from '../simulator-context.ts';
import { anthropicAdapter } from './anthropic-adapter.ts';
import { parseMessagesRequest } from './parse-messages-request.ts';

/**
 * `POST /v1/messages/count_tokens`: the total input the messages endpoint would bill for the same
 * body (input + cache read + cache write). Not subject to fault steps or rate limits.
 */
export async function serveCountTokens(
  context: SimulatorContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const requestId = nextId(anthropicAdapter.requestIdPrefix);
  const headers = ['request-id', requestId, 'x-simulator', 'reins'];
  const reply = (error: ErrorResponse) => {
    context.stats.status(error.status);
    sendJson(
      response,
      error.status,
      headers,
      typeof error.body === 'string' ? error.body : error.body(requestId),
    );
  };
  let text: string;
  try {
    text = await readBody(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) reply(anthropicAdapter.tooLarge());
    return;
  }
  const key = anthropicAdapter.apiKey(request);
  if (!key || (context.keys && !context.keys.has(key))) return reply(anthropicAdapter.authError(key));
  let inputTokens: number;
  try {
    const parsed = parseMessagesRequest(text, context.models, true);
    if ('status' in parsed) return reply(parsed);
    inputTokens = estimateAnthropicTokens(parsed.body);
  } catch (error) {
    return reply(anthropicAdapter.badRequest(`Invalid request body: ${(error as Error).message}`));
  }
  context.stats.status(200);
  sendJson(response, 200, headers, JSON.stringify({ input_tokens: inputTokens }));
}
