import type { IncomingMessage, ServerResponse } from 'node:http';
import { cachedPlanReply } from './cached-plan-reply.ts';
import { deliverBody, deliverStream, type EventStream } from './deliver-response.ts';
import { CONTENT_FRAMES_BEFORE_FAULT, type FaultKind, type FaultStep, stepName } from './fault-step.ts';
import { BodyTooLargeError, header, nextId, readBody, sendJson } from './http-io.ts';
import type { ModelSpec } from './model-table.ts';
import type { ReplyPlan, ReplyRequest } from './plan-reply.ts';
import type { RateDecision } from './rate-limiter.ts';
import type { ErrorResponse, SimulatorContext } from './simulator-context.ts';

/** Token usage of one generation, provider-neutral. `inputTokens` includes cached and written. */
export interface GenerationUsage {
  inputTokens: number;
  cachedTokens: number;
  /** Tokens written to the prompt cache; `written1h` is the share with a one-hour TTL. */
  writtenTokens: number;
  written1h: number;
  outputTokens: number;
}

/** A validated generation request, with the provider's renderers bound to it. */
export interface Generation {
  model: ModelSpec;
  stream: boolean;
  inputTokens: number;
  reply: Omit<ReplyRequest, 'fault' | 'countTokens' | 'truncate'>;
  promptCache(): { cachedTokens: number; writtenTokens: number; written1h: number };
  renderBody(plan: ReplyPlan, usage: GenerationUsage, id: string): string;
  renderStream(plan: ReplyPlan, usage: GenerationUsage, id: string): EventStream;
}

/** What differs between the OpenAI and Anthropic endpoints. */
export interface ProviderAdapter {
  requestIdHeader: string;
  requestIdPrefix: string;
  responseIdPrefix: string;
  apiKey(request: IncomingMessage): string | undefined;
  authError(key: string | undefined): ErrorResponse;
  badRequest(message: string): ErrorResponse;
  tooLarge(): ErrorResponse;
  parse(text: string, context: SimulatorContext, key: string): Generation | ErrorResponse;
  faultError(kind: '429' | '500' | '503' | '529', model: ModelSpec, retryAfterMs: number): ErrorResponse;
  overflowError(model: ModelSpec, tokens: number): ErrorResponse;
  rateLimited(decision: RateDecision, model: ModelSpec, now: number): ErrorResponse;
  rateHeaders(decision: RateDecision, now: number): string[];
  errorFrame(requestId: string): string;
  countTokens(text: string): number;
  truncate(text: string, maxTokens: number): string;
}

/**
 * Serves one generation request (`/v1/chat/completions` or `/v1/messages`): takes its fault step
 * first (so every request walks the `x-sim-faults` sequence), then authenticates, validates,
 * applies the step, the context window and the rate limits, consults the prompt cache, plans the
 * reply and delivers it with the latency profile.
 */
export async function serveGeneration(
  context: SimulatorContext,
  adapter: ProviderAdapter,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const requestId = nextId(adapter.requestIdPrefix);
  const headers = [adapter.requestIdHeader, requestId, 'x-simulator', 'reins'];
  const reply = (error: ErrorResponse) => {
    context.stats.status(error.status);
    const body = typeof error.body === 'string' ? error.body : error.body(requestId);
    sendJson(response, error.status, error.headers ? [...headers, ...error.headers] : headers, body);
  };
  let step: FaultStep;
  let text: string;
  try {
    step = context.faults.next(header(request, 'x-sim-faults'));
  } catch (error) {
    await readBody(request).catch(() => '');
    return reply(adapter.badRequest(`x-sim-faults: ${(error as Error).message}`));
  }
  try {
    text = await readBody(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return reply(adapter.tooLarge());
    return;
  }
  const key = adapter.apiKey(request);
  if (!key || (context.keys && !context.keys.has(key))) return reply(adapter.authError(key));
  let generation: Generation | ErrorResponse;
  try {
    generation = adapter.parse(text, context, key);
  } catch (error) {
    // Pathological bodies (nesting deep enough to overflow the stack) are the client's fault.
    return reply(adapter.badRequest(`Invalid request body: ${(error as Error).message}`));
  }
  if ('status' in generation) return reply(generation);
  const model = generation.model;
  const { stats } = context;
  stats.request(key, model.id);
  const served = (kind: FaultKind | string) => stats.fault(key, model.id, kind);
  switch (step.kind) {
    case 'reset':
      served('reset');
      stats.status('reset');
      request.socket.resetAndDestroy();
      return;
    case 'stall':
      // Hold the socket without a byte until the client gives up or the simulator closes.
      served('stall');
      stats.status('stall');
      return;
    case '429':
    case '500':
    case '503':
    case '529':
      served(step.kind);
      return reply(adapter.faultError(step.kind, model, context.retryAfterMs));
    case 'overflow':
      served('overflow');
      return reply(adapter.overflowError(model, Math.max(generation.inputTokens, model.contextWindow + 1)));
    case 'error-event':
      if (!generation.stream) {
        served('error-event');
        return reply(adapter.faultError('500', model, context.retryAfterMs));
      }
      break;
  }
  if (generation.inputTokens > model.contextWindow)
    return reply(adapter.overflowError(model, generation.inputTokens));
  if (context.limiter.enabled) {
    const decision = context.limiter.admit(key, model.id, generation.inputTokens);
    if (!decision.allowed) {
      stats.rateLimited(key, model.id);
      return reply(adapter.rateLimited(decision, model, context.now()));
    }
    headers.push(...adapter.rateHeaders(decision, context.now()));
  }
  const cache = generation.promptCache();
  const plan = cachedPlanReply(adapter.requestIdHeader, {
    ...generation.reply,
    answerTokens: answerTokens(request) ?? generation.reply.answerTokens,
    fault: step.kind,
    countTokens: adapter.countTokens,
    truncate: adapter.truncate,
  });
  if (plan.appliedFault) served(plan.appliedFault);
  if (context.limiter.enabled) context.limiter.spend(key, model.id, plan.outputTokens);
  const usage: GenerationUsage = {
    inputTokens: generation.inputTokens,
    ...cache,
    outputTokens: plan.outputTokens,
  };
  const bill = () =>
    stats.bill(key, model.id, {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cachedTokens,
      cacheWriteTokens: usage.writtenTokens,
    });
  const firstTokenMs = context.latency.timeToFirstTokenMs(model, usage.inputTokens, usage.cachedTokens);
  const tokenIntervalMs = context.latency.tokenIntervalMs(model);
  const responseId = nextId(adapter.responseIdPrefix);
  const cut = step.kind === 'cut';
  if (cut) served(stepName(step));
  stats.status(cut ? 'cut' : 200);
  if (!generation.stream) {
    const body = generation.renderBody(plan, usage, responseId);
    deliverBody(response, headers, body, firstTokenMs + tokenIntervalMs * usage.outputTokens, cut, bill);
    return;
  }
  const stream = generation.renderStream(plan, usage, responseId);
  const errorEvent = step.kind === 'error-event';
  if (errorEvent) served('error-event');
  deliverStream(
    response,
    headers,
    stream,
    {
      cutAfter: cut ? (step.after ?? stream.firstContent + CONTENT_FRAMES_BEFORE_FAULT) : undefined,
      errorEvent: errorEvent
        ? { at: stream.firstContent + CONTENT_FRAMES_BEFORE_FAULT, frame: adapter.errorFrame(requestId) }
        : undefined,
    },
    { firstTokenMs, tokenIntervalMs },
    bill,
  );
}

/** Header `x-sim-answer-tokens: N` makes a prose answer exactly N tokens (before `max_tokens`). */
function answerTokens(request: IncomingMessage): number | undefined {
  const value = Number(header(request, 'x-sim-answer-tokens'));
  return Number.isInteger(value) && value > 0 ? Math.min(value, 1_000_000) : undefined;
}
