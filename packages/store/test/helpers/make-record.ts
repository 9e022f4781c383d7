import type { CallRecord } from '@reins/client';
import { uuidv7 } from '@reins/client';

export type RecordOverrides = Partial<Omit<CallRecord, 'metadata'>> & {
  metadata?: Partial<CallRecord['metadata']>;
};

/**
 * A realistic call record: a system prompt, a user message, a response; every field overridable.
 * Deterministic content except the ids.
 */
export function makeRecord(overrides: RecordOverrides = {}): CallRecord {
  const id = overrides.id ?? uuidv7();
  const { metadata, ...rest } = overrides;
  return {
    id,
    callId: id,
    attempt: 1,
    traceId: 'trace-default',
    provider: 'openai',
    model: 'gpt-5.6-luna',
    operation: 'generate',
    metadata: { traceId: rest.traceId ?? 'trace-default', ...metadata },
    request: {
      system: 'You are a careful legal assistant. Answer in plain English.',
      messages: [{ role: 'user', content: 'Summarise the termination clause of the attached contract.' }],
      params: { maxTokens: 400, temperature: 0.2 },
    },
    response: {
      text: 'The contract may be terminated by either party with 30 days written notice.',
      toolCalls: [],
      finishReason: 'stop',
    },
    usage: {
      inputTokens: 120,
      cachedInputTokens: 20,
      cacheWriteTokens: 0,
      outputTokens: 40,
      reasoningTokens: 0,
    },
    costUsd: 0.00042,
    latencyMs: 812,
    ttftMs: 230,
    status: 'ok',
    errorClass: null,
    errorMessage: null,
    startedAt: new Date().toISOString(),
    simulated: true,
    ...rest,
  };
}
