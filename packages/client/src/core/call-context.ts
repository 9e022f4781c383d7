import type { ProviderRequest } from '../providers/provider.ts';
import type { CallMetadata, Usage } from '../record/call-record.ts';
import type { Budget } from '../resilience/budget.ts';
import type { ClientRuntime } from './client-runtime.ts';
import type { ResolvedModel } from './resolve-model.ts';
import type { Estimate } from './result.ts';

/**
 * The state of one call across its attempts: its ids, the request every attempt sends, and the
 * running totals of what the attempts used and cost. One attempt = one provider request.
 */
export type CallContext = {
  runtime: ClientRuntime;
  callId: string;
  traceId: string;
  /** 'generate' | 'stream' | 'tools' | 'structured' … (goes to logs and sink records). */
  operation: string;
  metadata: CallMetadata;
  model: ResolvedModel;
  /** What each attempt sends; `structured` appends re-ask turns to its messages. */
  request: ProviderRequest;
  /**
   * The call's signal: fires with the caller's reason when the caller aborts (or a stream's
   * consumer stops reading), or with `TimeoutError` (`limit: 'total'`) at the deadline.
   */
  signal: AbortSignal | undefined;
  /** Monotonic ms by which the whole call must end (`timeout.totalMs`). */
  deadlineAt: number;
  /** Per-attempt limits. */
  timeouts: { firstTokenMs: number; idleMs: number };
  /** The client's budget and any `map` run's, each reserved before every attempt. */
  budgets: Budget[];
  /** The response came from the Reins simulator (`x-simulator` header). */
  simulated?: boolean;
  estimate: Estimate;
  startedAt: number;
  /** Set by `finishCall`, so the call's log line and its result report the same latency. */
  endedAt?: number;
  attempts: number;
  usage: Usage;
  /** Sum of the attempts' costs; `null` once any attempt had no known price. */
  costUsd: number | null;
  /** Time to first token of the attempt that answered. */
  ttftMs: number | null;
  /**
   * With `logAttempts: 'retried'`: the line of a successful first attempt, held until the call
   * ends (folded into the call line) or another attempt starts (written then).
   */
  heldAttemptLine?: Record<string, unknown> | undefined;
};

export function emptyUsage(): Usage {
  return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
}

/** Adds `usage` into `total` in place (including the optional 1-hour cache-write share). */
export function addUsage(total: Usage, usage: Usage): void {
  total.inputTokens += usage.inputTokens;
  total.cachedInputTokens += usage.cachedInputTokens;
  total.cacheWriteTokens += usage.cacheWriteTokens;
  total.outputTokens += usage.outputTokens;
  total.reasoningTokens += usage.reasoningTokens;
  if (usage.cacheWrite1hTokens !== undefined) {
    total.cacheWrite1hTokens = (total.cacheWrite1hTokens ?? 0) + usage.cacheWrite1hTokens;
  }
}
