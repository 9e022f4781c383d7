import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicAdapter } from './anthropic/anthropic-adapter.ts';
import { anthropicError } from './anthropic/anthropic-error.ts';
import { anthropicModels } from './anthropic/anthropic-models.ts';
import { serveCountTokens } from './anthropic/serve-count-tokens.ts';
import { header, nextId, readBody, sendJson } from './http-io.ts';
import { openAIAdapter } from './openai/openai-adapter.ts';
import { openAIError } from './openai/openai-error.ts';
import { openAIModels } from './openai/openai-models.ts';
import { serveGeneration } from './serve-generation.ts';
import type { ErrorResponse, SimulatorContext } from './simulator-context.ts';

/**
 * Routes every request; nothing a client sends can throw past this point. Routes under
 * `/v1/messages` or carrying `anthropic-version` answer in Anthropic's shapes, the rest in
 * OpenAI's. `/_sim/stats` (GET) and `/_sim/reset` (POST) belong to the simulator itself.
 */
export function createRequestHandler(context: SimulatorContext, reset: () => void) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    request.on('error', ignore);
    response.on('error', ignore);
    route(context, reset, request, response).catch((error: unknown) => {
      context.stats.status(500);
      const anthropic = isAnthropic(request);
      const message = `simulator error: ${error instanceof Error ? error.message : String(error)}`;
      const failure = anthropic
        ? anthropicError(500, 'api_error', message)
        : openAIError(500, message, 'server_error');
      const requestId = nextId(anthropic ? anthropicAdapter.requestIdPrefix : openAIAdapter.requestIdPrefix);
      const idHeader = anthropic ? anthropicAdapter.requestIdHeader : openAIAdapter.requestIdHeader;
      const body = typeof failure.body === 'string' ? failure.body : failure.body(requestId);
      sendJson(response, 500, [idHeader, requestId, 'x-simulator', 'reins'], body);
    });
  };
}

async function route(
  context: SimulatorContext,
  reset: () => void,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const method = request.method ?? 'GET';
  if (path.startsWith('/_sim/')) return simulatorRoute(context, reset, method, path, request, response);
  context.stats.httpRequest();
  if (method === 'POST' && path === '/v1/chat/completions')
    return serveGeneration(context, openAIAdapter, request, response);
  if (method === 'POST' && path === '/v1/messages')
    return serveGeneration(context, anthropicAdapter, request, response);
  if (method === 'POST' && path === '/v1/messages/count_tokens')
    return serveCountTokens(context, request, response);
  const anthropic = isAnthropic(request);
  const adapter = anthropic ? anthropicAdapter : openAIAdapter;
  const requestId = nextId(adapter.requestIdPrefix);
  const answer = (result: { status: number; body: ErrorResponse['body'] }) => {
    context.stats.status(result.status);
    sendJson(
      response,
      result.status,
      [adapter.requestIdHeader, requestId, 'x-simulator', 'reins'],
      typeof result.body === 'string' ? result.body : result.body(requestId),
    );
  };
  await readBody(request).catch(() => '');
  if (method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
    const key = adapter.apiKey(request);
    if (!key || (context.keys && !context.keys.has(key))) return answer(adapter.authError(key));
    const id =
      path.length > '/v1/models/'.length ? decodeURIComponent(path.slice('/v1/models/'.length)) : undefined;
    return answer(anthropic ? anthropicModels(context.models, id) : openAIModels(context.models, id));
  }
  answer(
    anthropic
      ? anthropicError(404, 'not_found_error', 'Not Found')
      : openAIError(404, `Invalid URL (${method} ${path})`, 'invalid_request_error'),
  );
}

function simulatorRoute(
  context: SimulatorContext,
  reset: () => void,
  method: string,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  request.resume();
  let status = 200;
  let body = '{"ok":true}';
  if (method === 'GET' && path === '/_sim/stats') body = JSON.stringify(context.stats.snapshot());
  else if (method === 'POST' && path === '/_sim/reset') reset();
  else if (method !== 'GET' || path !== '/_sim/health') {
    status = 404;
    body = JSON.stringify({ error: { message: `Unknown simulator route ${method} ${path}` } });
  }
  sendJson(response, status, [], body);
}

function isAnthropic(request: IncomingMessage): boolean {
  return (request.url ?? '').startsWith('/v1/messages') || header(request, 'anthropic-version') !== undefined;
}

function ignore(): void {}
