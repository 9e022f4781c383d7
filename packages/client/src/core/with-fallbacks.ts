import { CircuitOpenError } from '../errors/circuit-open-error.ts';
import { startCallDeadline } from '../resilience/call-deadline.ts';
import { classifyFailure } from '../resilience/failure-class.ts';
import type { ClientRuntime } from './client-runtime.ts';
import type { CallScope } from './prepare-call.ts';
import type { RequestOptions } from './request.ts';

/**
 * The model to ask after `model` failed with `error`, or `undefined`: a context overflow goes to
 * the `contextFallback`, a refusal to the `contentFallback`, and an unavailable model (breaker
 * open, or retries exhausted on a 429 / 5xx / timeout) to the next untried model of the
 * primary's `fallbacks` chain.
 *
 * @example
 * nextModel(runtime, options, 'openai/gpt-5.6', new CircuitOpenError('open'), tried) // 'anthropic/claude-sonnet-5'
 */
export function nextModel(
  runtime: ClientRuntime,
  options: RequestOptions,
  primary: string,
  model: string,
  error: unknown,
  tried: ReadonlySet<string>,
): string | undefined {
  const failure = classifyFailure(error);
  const untried = (candidate: string | undefined) =>
    candidate !== undefined && !tried.has(candidate) ? candidate : undefined;
  if (failure === 'contextOverflow')
    return untried(options.contextFallback ?? runtime.contextFallback[model]);
  if (failure === 'contentFilter') return untried(options.contentFallback ?? runtime.contentFallback[model]);
  if (failure === 'transient' || failure === 'rateLimit' || CircuitOpenError.isInstance(error)) {
    const chain = options.fallbacks ?? runtime.fallbacks[primary] ?? [];
    return chain.find((candidate) => !tried.has(candidate));
  }
  return undefined;
}

/**
 * Runs one request through its fallback chain under one deadline (`timeout.totalMs` bounds the
 * whole chain). Each model is its own call (own `callId`, same `traceId`); the result's `model`
 * says which one answered and `fallbackFrom` which was asked first.
 *
 * @example
 * const result = await withFallbacks(runtime, options, (request, scope) => generateOne(runtime, request, scope));
 */
export async function withFallbacks<T extends { model: string; traceId: string }>(
  runtime: ClientRuntime,
  options: RequestOptions,
  scope: CallScope,
  run: (options: RequestOptions, scope: CallScope) => Promise<T>,
): Promise<T & { fallbackFrom?: string }> {
  const primary = options.model ?? runtime.defaults.model ?? '';
  const deadline =
    scope.signal !== undefined && scope.deadlineAt !== undefined
      ? undefined
      : startCallDeadline(options.signal, options.timeout?.totalMs ?? runtime.timeouts.totalMs, runtime.now);
  const shared: CallScope = deadline === undefined ? scope : { ...scope, ...deadline };
  const tried = new Set<string>();
  let model = primary;
  let current = options;
  try {
    for (;;) {
      tried.add(model);
      try {
        const result = await run(current, shared);
        return model === primary ? result : { ...result, fallbackFrom: primary };
      } catch (error) {
        if (shared.signal?.aborted) throw error;
        const next = nextModel(runtime, options, primary, model, error, tried);
        if (next === undefined) throw error;
        runtime.logger?.warn(
          {
            event: 'reins.fallback',
            from: model,
            to: next,
            error_class: error instanceof Error ? error.name : typeof error,
            trace_id: current.metadata?.traceId ?? null,
          },
          `falling back from ${model} to ${next}`,
        );
        model = next;
        current = { ...options, model: next };
      }
    }
  } finally {
    deadline?.dispose();
  }
}
