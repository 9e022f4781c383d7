import { ContextOverflowError } from '../errors/context-overflow-error.ts';
import { ANTHROPIC_DEFAULT_MAX_TOKENS } from '../providers/anthropic/build-anthropic-request.ts';
import type {
  ProviderRequest,
  ProviderResponseFormat,
  ProviderTool,
  ProviderToolChoice,
} from '../providers/provider.ts';
import { firstTokenLimit } from '../resilience/attempt-timeouts.ts';
import type { Budget } from '../resilience/budget.ts';
import { type CallContext, emptyUsage } from './call-context.ts';
import type { ClientRuntime } from './client-runtime.ts';
import { estimateRequest } from './estimate-request.ts';
import { planPromptCache } from './plan-prompt-cache.ts';
import type { RequestOptions } from './request.ts';
import { type ResolvedModel, resolveModel } from './resolve-model.ts';
import type { Estimate } from './result.ts';
import { toMessages } from './to-messages.ts';

/**
 * What the caller of a call adds around it: a shared deadline (fallbacks of one request share
 * it), extra budgets (`map`'s `budgetUsd`).
 */
export type CallScope = { signal?: AbortSignal; deadlineAt?: number; budgets?: Budget[] };

/** What a method adds to the common options before the request goes out. */
export type CallExtras = {
  tools?: ProviderTool[];
  toolChoice?: ProviderToolChoice;
  responseFormat?: ProviderResponseFormat;
};

/**
 * The caller's options as the provider request every attempt will send: the model resolved,
 * defaults applied, prompt caching planned.
 *
 * @example
 * const { model, request } = buildCallRequest(runtime, { model: 'openai/gpt-5.6-luna', prompt: 'Hi' });
 */
export function buildCallRequest(
  runtime: ClientRuntime,
  options: RequestOptions,
  extras: CallExtras = {},
): { model: ResolvedModel; request: ProviderRequest } {
  const model = resolveModel(runtime, options.model);
  const kind = model.provider.kind;
  const maxTokens =
    options.maxTokens ??
    runtime.defaults.maxTokens ??
    (kind === 'anthropic' ? ANTHROPIC_DEFAULT_MAX_TOKENS : undefined);
  const temperature = options.temperature ?? runtime.defaults.temperature;
  const request: ProviderRequest = { model: model.modelId, messages: toMessages(options) };
  if (options.system !== undefined) request.system = options.system;
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  if (temperature !== undefined) {
    if (kind === 'anthropic') {
      runtime.warnOnce(
        `temperature:${model.provider.name}`,
        'temperature is ignored for Anthropic: its Messages API (version 2026-10-21) rejects sampling parameters',
        { provider: model.provider.name },
      );
    } else {
      request.temperature = temperature;
    }
  }
  if (options.stop !== undefined) request.stop = options.stop;
  if (options.headers !== undefined) request.headers = options.headers;
  if (extras.tools !== undefined && extras.tools.length > 0) request.tools = extras.tools;
  if (extras.toolChoice !== undefined) request.toolChoice = extras.toolChoice;
  if (extras.responseFormat !== undefined) request.responseFormat = extras.responseFormat;
  if ((options.cache ?? runtime.defaults.cache ?? 'auto') === 'auto') {
    const plan = planPromptCache(
      model,
      request,
      options.metadata?.template === undefined && options.template !== undefined
        ? { ...options.metadata, template: options.template }
        : options.metadata,
      options.cacheTtl ?? runtime.defaults.cacheTtl,
    );
    if (plan !== undefined) request.cache = plan;
  }
  return { model, request };
}

/**
 * Prepares one call: builds its request, estimates the input, and refuses (before any network
 * call, with an error naming both numbers) a request whose input plus `maxTokens` exceeds the
 * model's context window. Synchronous unless the estimate asks the provider (`exactTokenCounts`);
 * callers `await` it either way (a refusal is thrown, or rejects, inside their `try`).
 *
 * @example
 * const call = await prepareCall(runtime, { model: 'openai/gpt-5.6-luna', prompt: 'Hi' }, 'generate');
 */
export function prepareCall(
  runtime: ClientRuntime,
  options: RequestOptions,
  operation: string,
  extras: CallExtras = {},
  scope: CallScope = {},
): CallContext | Promise<CallContext> {
  const startedAt = runtime.now();
  const { model, request } = buildCallRequest(runtime, options, extras);
  const metadata =
    options.template !== undefined && options.metadata?.template === undefined
      ? { ...options.metadata, template: options.template }
      : (options.metadata ?? {});
  const callId = runtime.generateId();
  const estimate = estimateRequest(runtime, model, request);
  const built = { startedAt, model, request, metadata, callId };
  return estimate instanceof Promise
    ? estimate.then((resolved) => toCallContext(runtime, options, operation, scope, built, resolved))
    : toCallContext(runtime, options, operation, scope, built, estimate);
}

function toCallContext(
  runtime: ClientRuntime,
  options: RequestOptions,
  operation: string,
  scope: CallScope,
  built: {
    startedAt: number;
    model: ResolvedModel;
    request: ProviderRequest;
    metadata: CallContext['metadata'];
    callId: string;
  },
  estimate: Estimate,
): CallContext {
  const { startedAt, model, request, metadata, callId } = built;
  const maxTokens = request.maxTokens;
  const window = estimate.contextWindow;
  if (window !== null && estimate.inputTokens + (maxTokens ?? 0) > window) {
    const error = new ContextOverflowError(
      maxTokens !== undefined
        ? `${model.id}: the prompt is ~${estimate.inputTokens} tokens and maxTokens is ${maxTokens}; together ${estimate.inputTokens + maxTokens} exceed the ${window}-token context window. Nothing was sent.`
        : `${model.id}: the prompt is ~${estimate.inputTokens} tokens, over the ${window}-token context window. Nothing was sent.`,
      {
        provider: model.provider.name,
        model: model.modelId,
        inputTokens: estimate.inputTokens,
        ...(maxTokens !== undefined ? { maxTokens } : {}),
        contextWindow: window,
      },
    );
    runtime.logger?.warn(
      {
        event: 'llm.call',
        trace_id: metadata.traceId ?? callId,
        call_id: callId,
        attempt: 0,
        operation,
        provider: model.provider.name,
        model: model.modelId,
        estimated_input_tokens: estimate.inputTokens,
        status: 'error',
        error_class: error.name,
        error_message: error.message,
        template: metadata.template?.name ?? null,
        template_version: metadata.template?.version ?? null,
      },
      'llm call',
    );
    throw error;
  }
  return {
    runtime,
    callId,
    traceId: metadata.traceId ?? callId,
    operation,
    metadata,
    model,
    request,
    signal: scope.signal ?? options.signal,
    deadlineAt: scope.deadlineAt ?? startedAt + (options.timeout?.totalMs ?? runtime.timeouts.totalMs),
    timeouts: {
      firstTokenMs:
        options.timeout?.firstTokenMs ??
        runtime.timeouts.firstTokenMs ??
        firstTokenLimit(operation === 'stream', request.maxTokens),
      idleMs: options.timeout?.idleMs ?? runtime.timeouts.idleMs,
    },
    budgets:
      runtime.budget === undefined ? (scope.budgets ?? []) : [runtime.budget, ...(scope.budgets ?? [])],
    estimate,
    startedAt,
    attempts: 0,
    usage: emptyUsage(),
    costUsd: 0,
    ttftMs: null,
  };
}
