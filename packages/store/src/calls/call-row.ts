import type { CallRecord, CallStatus } from '@reins/client';
import { flattenPrompt, redactDeep, sanitizeRequest, stripDeep } from '@reins/client';
import type { Insertable, Selectable } from 'kysely';
import type { TextGuard } from '../guard.ts';
import type { CallLogTable } from '../schema.ts';
import type { CallLogEntry } from './call-log-entry.ts';

export type CallLogRow = Selectable<CallLogTable>;
export type NewCallLogRow = Insertable<CallLogTable>;

/** Column order of an insert; `insert-calls.ts` compiles its statement with this order. */
export const CALL_LOG_COLUMNS = [
  'id',
  'call_id',
  'attempt',
  'trace_id',
  'user_id',
  'task_id',
  'eval_run_id',
  'provider',
  'model',
  'operation',
  'template_name',
  'template_version',
  'template_hash',
  'template_commit',
  'prompt_text',
  'request_json',
  'response_text',
  'tool_calls_json',
  'finish_reason',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_usd',
  'latency_ms',
  'ttft_ms',
  'status',
  'error_class',
  'error_message',
  'tags',
  'simulated',
  'created_at',
] as const satisfies ReadonlyArray<keyof CallLogTable>;

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function optionalNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function optionalText(value: unknown, clean: (text: string) => string): string | null {
  return typeof value === 'string' && value !== '' ? clean(value) : null;
}

function isoTime(value: unknown, now: () => Date): string {
  const time = typeof value === 'string' ? new Date(value) : undefined;
  return time !== undefined && !Number.isNaN(time.getTime()) ? time.toISOString() : now().toISOString();
}

/**
 * Turns a sink record into a row. Whatever the client already did, the request is sanitized
 * again (images stripped, secrets redacted) and every text column passes through `guard.clean`
 * as it is built: nothing reaches the database that did not go through this function.
 */
export function recordToRow(
  record: CallRecord,
  guard: TextGuard,
  now: () => Date = () => new Date(),
): NewCallLogRow {
  const { clean, redact } = guard;
  const request = sanitizeRequest(record.request, redact);
  const metadata = record.metadata ?? {};
  const template = metadata.template;
  const toolCalls = record.response?.toolCalls ?? [];
  return {
    id: clean(String(record.id)),
    call_id: clean(String(record.callId)),
    attempt: count(record.attempt),
    trace_id: clean(String(record.traceId ?? metadata.traceId ?? '')),
    user_id: optionalText(metadata.userId, clean),
    task_id: optionalText(metadata.taskId, clean),
    eval_run_id: optionalText(metadata.evalRunId, clean),
    provider: clean(String(record.provider)),
    model: clean(String(record.model)),
    operation: clean(String(record.operation ?? 'generate')),
    template_name: optionalText(template?.name, clean),
    template_version: optionalText(template?.version, clean),
    template_hash: optionalText(template?.hash, clean),
    template_commit: optionalText(template?.gitCommit, clean),
    prompt_text: clean(flattenPrompt(request.system, request.messages)),
    request_json: clean(JSON.stringify(request)),
    response_text: record.response === null ? null : clean(record.response.text),
    tool_calls_json:
      toolCalls.length === 0 ? null : clean(JSON.stringify(redactDeep(stripDeep(toolCalls), redact))),
    finish_reason: optionalText(record.response?.finishReason, clean),
    input_tokens: count(record.usage?.inputTokens),
    cached_input_tokens: count(record.usage?.cachedInputTokens),
    cache_write_tokens: count(record.usage?.cacheWriteTokens),
    output_tokens: count(record.usage?.outputTokens),
    reasoning_tokens: count(record.usage?.reasoningTokens),
    cost_usd: optionalNumber(record.costUsd),
    latency_ms: optionalNumber(record.latencyMs) ?? 0,
    ttft_ms: optionalNumber(record.ttftMs),
    status: record.status === 'error' ? 'error' : 'ok',
    error_class: optionalText(record.errorClass, clean),
    error_message: optionalText(record.errorMessage, clean),
    tags: JSON.stringify((metadata.tags ?? []).map((tag) => clean(String(tag)))),
    simulated: record.simulated === true ? 1 : 0,
    created_at: isoTime(record.startedAt, now),
  };
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Turns a row back into the entry callers read. Numbers come back as strings from some drivers. */
export function rowToEntry(row: CallLogRow): CallLogEntry {
  const template =
    row.template_name === null
      ? null
      : {
          name: row.template_name,
          ...(row.template_version !== null ? { version: row.template_version } : {}),
          ...(row.template_hash !== null ? { hash: row.template_hash } : {}),
          ...(row.template_commit !== null ? { gitCommit: row.template_commit } : {}),
        };
  return {
    id: row.id,
    callId: row.call_id,
    attempt: Number(row.attempt),
    traceId: row.trace_id,
    userId: row.user_id,
    taskId: row.task_id,
    evalRunId: row.eval_run_id,
    provider: row.provider,
    model: row.model,
    operation: row.operation,
    template,
    promptText: row.prompt_text,
    request: parseJson(row.request_json, { messages: [], params: {} }),
    responseText: row.response_text,
    toolCalls: parseJson(row.tool_calls_json, []),
    finishReason: row.finish_reason,
    usage: {
      inputTokens: Number(row.input_tokens),
      cachedInputTokens: Number(row.cached_input_tokens),
      cacheWriteTokens: Number(row.cache_write_tokens),
      outputTokens: Number(row.output_tokens),
      reasoningTokens: Number(row.reasoning_tokens),
    },
    costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
    latencyMs: Number(row.latency_ms),
    ttftMs: row.ttft_ms === null ? null : Number(row.ttft_ms),
    status: row.status as CallStatus,
    errorClass: row.error_class,
    errorMessage: row.error_message,
    tags: parseJson(row.tags, []),
    simulated: Number(row.simulated) === 1,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
