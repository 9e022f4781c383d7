import type { ProviderResult } from '../providers/provider.ts';
import type { CallContext } from './call-context.ts';
import type { GenerateResult } from './result.ts';

/**
 * The caller's result: the answer of the last attempt with the call's totals (usage and cost
 * summed over every attempt, since every attempt was billed).
 */
export function buildResult(call: CallContext, answer: Omit<ProviderResult, 'usage'>): GenerateResult {
  call.endedAt ??= call.runtime.now();
  const result: GenerateResult = {
    text: answer.text,
    toolCalls: answer.toolCalls.map(({ id, name, input }) => ({ id, name, input })),
    finishReason: answer.finishReason,
    rawFinishReason: answer.rawFinishReason,
    usage: { ...call.usage },
    costUsd: call.costUsd,
    estimate: call.estimate,
    traceId: call.traceId,
    callId: call.callId,
    attempts: call.attempts,
    latencyMs: call.endedAt - call.startedAt,
    ttftMs: call.ttftMs,
    model: call.model.id,
    provider: call.model.provider.name,
  };
  if (answer.responseModel !== undefined) result.responseModel = answer.responseModel;
  return result;
}
