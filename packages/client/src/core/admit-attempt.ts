import { CircuitOpenError } from '../errors/circuit-open-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { ReinsError } from '../errors/reins-error.ts';
import type { Usage } from '../record/call-record.ts';
import type { BreakerPermit } from '../resilience/breaker-store.ts';
import { classifyFailure } from '../resilience/failure-class.ts';
import { parseRateLimitHeaders } from '../resilience/parse-rate-limit-headers.ts';
import type { CallContext } from './call-context.ts';

/**
 * An attempt that passed the breaker, the budget and the limiter. `settle` reports how it ended
 * (once): the breaker learns success or failure, the budgets swap the reservation for the real
 * cost, the limiter gets back unused tokens and, on a 429, pauses.
 */
export type Admission = {
  settle(usage: Usage | undefined, costUsd: number | null, error?: unknown): void;
};

type HeaderLike = { get(name: string): string | null };

function headersOf(error: unknown): HeaderLike | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current !== null && typeof current === 'object'; depth++) {
    const headers = (current as { headers?: unknown }).headers;
    if (headers !== null && typeof headers === 'object' && typeof (headers as HeaderLike).get === 'function')
      return headers as HeaderLike;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The provider sent an HTTP answer (a status), as opposed to a local refusal or abort. */
function answered(error: unknown): boolean {
  return ReinsError.isInstance(error) && error.status !== undefined;
}

/** Tokens the limiter charges up front: the input estimate plus the (configured share of the) output budget. */
function chargedTokens(call: CallContext): number {
  const share = call.runtime.limiter.limits(call.model.id)?.outputShare ?? 1;
  return call.estimate.inputTokens + Math.ceil((call.request.maxTokens ?? 0) * share);
}

/**
 * Lets one attempt of `call` go: fails fast with `CircuitOpenError` when the breaker is open,
 * refuses with `BudgetExceededError` when a budget cannot cover the worst case, then waits its
 * turn at the rate limiter (FIFO, abortable by the call's signal). Synchronous when nothing has
 * to wait, so an open breaker costs microseconds.
 *
 * @example
 * const admission = await admitAttempt(call);
 * … attempt … admission.settle(usage, costUsd, error);
 */
export function admitAttempt(call: CallContext): Admission | Promise<Admission> {
  const runtime = call.runtime;
  const key = call.model.id;
  const permit = runtime.breaker.acquire(key);
  // A shared (async) store answers later; the in-memory one at once, keeping fail-fast sync.
  if (permit instanceof Promise) return permit.then((resolved) => admitWith(call, resolved));
  return admitWith(call, permit);
}

function admitWith(call: CallContext, permit: BreakerPermit): Admission | Promise<Admission> {
  const runtime = call.runtime;
  const key = call.model.id;
  if (!permit.allowed) {
    throw new CircuitOpenError(
      `${key}: the circuit is open after repeated failures; next probe in ${Math.ceil(permit.retryInMs)} ms`,
      { provider: call.model.provider.name, model: call.model.modelId, retryInMs: permit.retryInMs },
    );
  }
  const probe = permit.probe;
  const releases: Array<(costUsd: number | null) => void> = [];
  try {
    for (const budget of call.budgets) releases.push(budget.reserve(call.estimate.maxCostUsd, key));
  } catch (error) {
    for (const release of releases) release(null);
    runtime.breaker.release(key, probe);
    throw error;
  }
  const tokens = chargedTokens(call);
  let settled = false;
  const admission: Admission = {
    settle(usage, costUsd, error) {
      if (settled) return;
      settled = true;
      for (const release of releases) release(costUsd);
      const used = usage === undefined ? 0 : usage.inputTokens + usage.outputTokens;
      runtime.limiter.settle(key, tokens, used);
      if (error === undefined) {
        runtime.breaker.onSuccess(key, probe);
        return;
      }
      const headers = headersOf(error);
      const observation = parseRateLimitHeaders(headers);
      if (observation !== undefined) runtime.limiter.observe(key, observation);
      if (RateLimitError.isInstance(error)) runtime.limiter.onRateLimited(key, error.retryAfterMs);
      const failure = classifyFailure(error);
      if (failure === 'transient' || failure === 'interrupted') runtime.breaker.onFailure(key, probe);
      else if (call.signal?.aborted || (failure === 'fatal' && !answered(error)))
        runtime.breaker.release(key, probe);
      // A 429, 4xx, overflow or refusal: the provider is up and answering.
      else runtime.breaker.onSuccess(key, probe);
    },
  };
  const abandon = (error: unknown) => {
    for (const release of releases) release(null);
    runtime.limiter.settle(key, tokens, 0);
    runtime.breaker.release(key, probe);
    throw error;
  };
  let waited: number | Promise<number>;
  try {
    waited = runtime.limiter.acquire(key, tokens, call.signal);
  } catch (error) {
    return abandon(error);
  }
  if (waited instanceof Promise) return waited.then(() => admission, abandon);
  return admission;
}

/** The response-headers hook handed to the adapter: feeds the limiter and marks simulated calls. */
export function onResponseHeaders(call: CallContext): (headers: HeaderLike) => void {
  return (headers) => {
    if (headers.get('x-simulator') !== null) call.simulated = true;
    const observation = parseRateLimitHeaders(headers);
    if (observation !== undefined) call.runtime.limiter.observe(call.model.id, observation);
  };
}
