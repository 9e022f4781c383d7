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

function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `created_at` is compared as text on SQLite, so every row must use `toISOString()`'s format. */
function isoTime(value: unknown, now: () => Date): string {
  if (typeof value === 'string' && CANONICAL_ISO.test(value)) return value;
  const time = typeof value === 'string' ? new Date(value) : undefined;
  return time !== undefined && !Number.isNaN(time.getTime()) ? time.toISOString() : now().toISOString();
}

/**
 * Turns a sink record into a row. Whatever the client already did, the store checks again: a
 * request or tool call holding an inline image or anything `guard.clean` would change is
 * sanitized (images replaced by placeholders, secrets redacted), and then every text column of the
 * finished row passes through `guard.clean`. Nothing reaches the database that skipped this.
 */
export function recordToRow(
  record: CallRecord,
  guard: TextGuard,
  now: () => Date = () => new Date(),
): NewCallLogRow {
  const metadata = record.metadata ?? {};
  const template = metadata.template;
  const request = guard.isClean(record.request)
    ? record.request
    : sanitizeRequest(record.request, guard.redact);
  const rawToolCalls = record.response?.toolCalls ?? [];
  const toolCalls = guard.isClean(rawToolCalls)
    ? rawToolCalls
    : (redactDeep(stripDeep(rawToolCalls), guard.redact) as typeof rawToolCalls);
  const row: NewCallLogRow = {
    id: String(record.id),
    call_id: String(record.callId),
    attempt: count(record.attempt),
    trace_id: String(record.traceId ?? metadata.traceId ?? ''),
    user_id: optionalText(metadata.userId),
    task_id: optionalText(metadata.taskId),
    eval_run_id: optionalText(metadata.evalRunId),
    provider: String(record.provider),
    model: String(record.model),
    operation: String(record.operation ?? 'generate'),
    template_name: optionalText(template?.name),
    template_version: optionalText(template?.version),
    template_hash: optionalText(template?.hash),
    template_commit: optionalText(template?.gitCommit),
    prompt_text: flattenPrompt(request.system, request.messages),
    request_json: JSON.stringify(request),
    response_text: record.response == null ? null : String(record.response.text ?? ''),
    tool_calls_json: toolCalls.length === 0 ? null : JSON.stringify(toolCalls),
    finish_reason: optionalText(record.response?.finishReason),
    input_tokens: count(record.usage?.inputTokens),
    cached_input_tokens: count(record.usage?.cachedInputTokens),
    cache_write_tokens: count(record.usage?.cacheWriteTokens),
    output_tokens: count(record.usage?.outputTokens),
    reasoning_tokens: count(record.usage?.reasoningTokens),
    cost_usd: optionalNumber(record.costUsd),
    latency_ms: optionalNumber(record.latencyMs) ?? 0,
    ttft_ms: optionalNumber(record.ttftMs),
    status: record.status === 'error' ? 'error' : 'ok',
    error_class: optionalText(record.errorClass),
    error_message: optionalText(record.errorMessage),
    tags: JSON.stringify((metadata.tags ?? []).map(String)),
    simulated: record.simulated === true ? 1 : 0,
    created_at: isoTime(record.startedAt, now),
  };
  return guard.cleanRow(row);
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
