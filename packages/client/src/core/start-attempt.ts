import { cacheSavings, computeCost } from '../pricing/compute-cost.ts';
import type { ProviderRequest } from '../providers/provider.ts';
import type { CallRecord, RecordedResponse, Usage } from '../record/call-record.ts';
import { redactDeep } from '../record/redact-secrets.ts';
import { sanitizeRequest } from '../record/sanitize-request.ts';
import { startAttemptSpan } from '../telemetry/start-attempt-span.ts';
import { isoTimestamp } from '../util/iso-timestamp.ts';
import { addUsage, type CallContext } from './call-context.ts';
import { errorFields } from './error-fields.ts';

const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

/** What an attempt produced, as far as it got. */
export type AttemptOutcome = {
  usage?: Usage;
  text?: string;
  toolCalls?: Array<{ id: string; name: string; input: unknown }>;
  finishReason?: string;
  rawFinishReason?: string | null;
  responseModel?: string;
  responseId?: string;
};

/**
 * One attempt in flight. `end` records it exactly once, whatever happened: a log line, a sink
 * record, a meter entry (failed attempts included, when the provider reported usage) and the
 * span. Later calls to `end` are ignored, so a `finally` can call it without double counting.
 */
export type Attempt = {
  readonly number: number;
  readonly startedAt: number;
  firstTokenAt: number | undefined;
  markFirstToken(): void;
  end(outcome: AttemptOutcome, error?: unknown): { costUsd: number | null; ttftMs: number | null };
  readonly ended: boolean;
};

/**
 * Opens attempt number `call.attempts` of `call`.
 *
 * @example
 * const attempt = startAttempt(call);
 * try { const result = await provider.doGenerate(request); attempt.end(result); }
 * catch (error) { attempt.end({}, error); throw error; }
 */
export function startAttempt(call: CallContext): Attempt {
  const runtime = call.runtime;
  const number = call.attempts;
  // A retry or re-ask follows: the held line of the first attempt is written after all.
  if (call.heldAttemptLine !== undefined) writeHeldAttemptLine(call);
  const startedAt = runtime.now();
  const startedAtWall = runtime.wallClock();
  const endSpan = startAttemptSpan(runtime.tracer, call, number);
  // `ended` is a plain property, not a getter: an object literal with an accessor is built by a
  // slow runtime path (~1-2 µs per attempt) instead of V8's literal boilerplate.
  const attempt: Omit<Attempt, 'ended'> & { ended: boolean } = {
    number,
    startedAt,
    firstTokenAt: undefined,
    ended: false,
    markFirstToken() {
      if (attempt.firstTokenAt === undefined) attempt.firstTokenAt = runtime.now();
    },
    end(outcome, error) {
      if (attempt.ended) return { costUsd: null, ttftMs: null };
      attempt.ended = true;
      const endedAt = runtime.now();
      const latencyMs = endedAt - startedAt;
      const ttftMs = attempt.firstTokenAt === undefined ? null : attempt.firstTokenAt - startedAt;
      const usage = outcome.usage;
      const info = call.model.info;
      // No usage reported (a 429, a refused connection): nothing billed, so cost 0 if priced.
      const costUsd = computeCost(usage ?? ZERO_USAGE, info);
      const failure = error === undefined ? undefined : errorFields(error, runtime.redact);

      if (usage !== undefined) {
        addUsage(call.usage, usage);
        if (costUsd === null) {
          runtime.warnOnce(
            `price:${call.model.id}`,
            `No price known for ${call.model.id}: costUsd is null (set \`prices\` in the client config)`,
            { model: call.model.id },
          );
        }
        runtime.meter.record({
          model: call.model.id,
          attempt: number,
          usage,
          costUsd,
          savedUsd: cacheSavings(usage, info),
          ttftMs,
          // A trace the caller named; a lone call's own id would only bloat `byTrace`.
          traceId: call.metadata.traceId,
          userId: call.metadata.userId,
          tags: call.metadata.tags,
        });
        call.costUsd =
          call.costUsd === null || costUsd === null
            ? null
            : Math.round((call.costUsd + costUsd) * 1e12) / 1e12;
      }

      const logger = runtime.logger;
      if (logger !== undefined) {
        const template = call.metadata.template;
        const fields: Record<string, unknown> = {
          event: 'llm.attempt',
          trace_id: call.traceId,
          call_id: call.callId,
          attempt: number,
          operation: call.operation,
          provider: call.model.provider.name,
          model: call.model.modelId,
          prompt_tokens: usage?.inputTokens ?? null,
          completion_tokens: usage?.outputTokens ?? null,
          cached_tokens: usage?.cachedInputTokens ?? null,
          cache_write_tokens: usage?.cacheWriteTokens ?? null,
          cost_usd: costUsd,
          latency_ms: Math.round(latencyMs),
          ttft_ms: ttftMs === null ? null : Math.round(ttftMs),
          status: failure === undefined ? 'ok' : 'error',
          error_class: failure?.className ?? null,
          template: template?.name ?? null,
          template_version: template?.version ?? null,
          finish_reason: outcome.rawFinishReason ?? outcome.finishReason ?? null,
        };
        // Optional fields only when they say something, to keep the hot path's line short.
        if (failure !== undefined) fields['error_message'] = failure.message;
        if (usage !== undefined && usage.reasoningTokens > 0)
          fields['reasoning_tokens'] = usage.reasoningTokens;
        if (call.metadata.userId !== undefined) fields['user_id'] = call.metadata.userId;
        if (call.simulated === true) fields['simulated'] = true;
        if (failure !== undefined) logger.warn(fields, 'llm attempt');
        else if (number === 1 && runtime.logAttempts === 'retried') call.heldAttemptLine = fields;
        else logger.info(fields, 'llm attempt');
      }

      if (runtime.sinks.length > 0) {
        const redact = runtime.getRedactor();
        const response: RecordedResponse | null =
          outcome.text === undefined && outcome.toolCalls === undefined
            ? null
            : {
                // Redacted field by field: what `redactDeep` of this literal gives, one copy less.
                text: redact(outcome.text ?? ''),
                toolCalls: redactDeep(outcome.toolCalls ?? [], redact),
                finishReason: redact(outcome.finishReason ?? 'error'),
              };
        const { messages, system, tools } = call.request;
        const params = recordedParams(call.request);
        const record: CallRecord = {
          id: runtime.generateId(),
          callId: call.callId,
          attempt: number,
          traceId: call.traceId,
          provider: call.model.provider.name,
          model: call.model.modelId,
          operation: call.operation,
          metadata: call.metadata,
          request: sanitizeRequest(
            {
              ...(system !== undefined ? { system } : {}),
              messages,
              ...(tools !== undefined
                ? {
                    tools: tools.map((tool) => ({
                      name: tool.name,
                      description: tool.description,
                      inputSchema: tool.inputSchema,
                    })),
                  }
                : {}),
              params,
            },
            redact,
          ),
          response,
          usage: usage ?? ZERO_USAGE,
          costUsd,
          latencyMs,
          ttftMs,
          status: failure === undefined ? 'ok' : 'error',
          errorClass: failure?.className ?? null,
          errorMessage: failure?.message ?? null,
          startedAt: isoTimestamp(startedAtWall),
        };
        if (call.simulated === true) record.simulated = true;
        for (const sink of runtime.sinks) {
          try {
            sink.write(record);
          } catch (sinkError) {
            runtime.logger?.error(
              { event: 'reins.sink_error', error: errorFields(sinkError, runtime.redact) },
              'sink failed',
            );
          }
        }
      }

      endSpan?.(usage, costUsd, outcome, failure);
      return { costUsd, ttftMs };
    },
  };
  return attempt;
}

/**
 * The request's parameters for the call record: every field but the ones recorded apart
 * (`messages`, `system`, `tools`) or never recorded (`model`, `signal`, `headers`). A key loop:
 * object rest with excluded keys costs about twice as much.
 */
function recordedParams(request: ProviderRequest): CallRecord['request']['params'] {
  const params: Record<string, unknown> = {};
  for (const key of Object.keys(request)) {
    if (
      key === 'model' ||
      key === 'messages' ||
      key === 'system' ||
      key === 'tools' ||
      key === 'signal' ||
      key === 'headers'
    )
      continue;
    params[key] = request[key as keyof ProviderRequest];
  }
  return params as CallRecord['request']['params'];
}

/** Writes the line `startAttempt` held back for a call answered at its first attempt. */
export function writeHeldAttemptLine(call: CallContext): void {
  const fields = call.heldAttemptLine;
  if (fields === undefined) return;
  call.heldAttemptLine = undefined;
  call.runtime.logger?.info(fields, 'llm attempt');
}
