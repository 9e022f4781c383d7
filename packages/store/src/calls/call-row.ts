import type { CallRecord, CallStatus, SanitizedRequest } from '@reins/client';
// The light entry point: this file also runs in the SQLite worker thread, which must not load the SDKs.
import { flattenPrompt, redactDeep, sanitizeRequest, stripDeep } from '@reins/client/record';
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

/** A raw row as a list of values in `CALL_LOG_COLUMNS` order: what the batched writer queues. */
export type CallRowValues = Array<string | number | null>;

/**
 * Turns a sink record into a row as the record has it, before the store's own check (`guardCallParameters`),
 * as values in `CALL_LOG_COLUMNS` order. The writer queues these and the inserter concatenates
 * them into one parameter list; a row object in between cost ~2 µs per record on the main thread
 * (bench/store-writes.ts). Runs on the writing thread, one record at a time: a record that cannot
 * be converted (a circular tool input) throws here and fails alone.
 */
export function recordToRowValues(record: CallRecord, now: () => Date = () => new Date()): CallRowValues {
  const metadata = record.metadata ?? {};
  const template = metadata.template;
  const request = record.request;
  const toolCalls = record.response?.toolCalls ?? [];
  // Keep in CALL_LOG_COLUMNS order (call-row.test.ts checks it against recordToRawRow's keys).
  return [
    String(record.id),
    String(record.callId),
    count(record.attempt),
    String(record.traceId ?? metadata.traceId ?? ''),
    optionalText(metadata.userId),
    optionalText(metadata.taskId),
    optionalText(metadata.evalRunId),
    String(record.provider),
    String(record.model),
    String(record.operation ?? 'generate'),
    optionalText(template?.name),
    optionalText(template?.version),
    optionalText(template?.hash),
    optionalText(template?.gitCommit),
    JSON.stringify(request),
    record.response == null ? null : String(record.response.text ?? ''),
    toolCalls.length === 0 ? null : JSON.stringify(toolCalls),
    optionalText(record.response?.finishReason),
    count(record.usage?.inputTokens),
    count(record.usage?.cachedInputTokens),
    count(record.usage?.cacheWriteTokens),
    count(record.usage?.outputTokens),
    count(record.usage?.reasoningTokens),
    optionalNumber(record.costUsd),
    optionalNumber(record.latencyMs) ?? 0,
    optionalNumber(record.ttftMs),
    record.status === 'error' ? 'error' : 'ok',
    optionalText(record.errorClass),
    optionalText(record.errorMessage),
    JSON.stringify((metadata.tags ?? []).map(String)),
    record.simulated === true ? 1 : 0,
    isoTime(record.startedAt, now),
  ];
}

/** A row object from values in `CALL_LOG_COLUMNS` order. */
export function rowFromValues(values: readonly unknown[]): NewCallLogRow {
  const row: Record<string, unknown> = {};
  for (const [index, column] of CALL_LOG_COLUMNS.entries()) row[column] = values[index];
  return row as NewCallLogRow;
}

/** `recordToRowValues` as a row object, before the store's own check (`guardCallParameters`). */
export function recordToRawRow(record: CallRecord, now: () => Date = () => new Date()): NewCallLogRow {
  return rowFromValues(recordToRowValues(record, now));
}

const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(.))/g;
const JSON_ESCAPED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** JSON text with its escapes undone: every string inside it then appears in it verbatim. */
function unescapeJsonText(text: string): string {
  return text.replace(JSON_ESCAPE, (_match, code: string | undefined, character: string) =>
    code !== undefined
      ? String.fromCharCode(Number.parseInt(code, 16))
      : (JSON_ESCAPED[character] ?? character),
  );
}

/** `"data":` can only be a key in JSON text (a value is never followed by a colon). */
function mayHoldImageData(json: string | null | undefined): boolean {
  return typeof json === 'string' && json.includes('"data":');
}

/**
 * The common case of the store's check, as one combined check: true when `texts` (every text column of a
 * raw row, request and tool-call JSON included) need nothing. The request and tool-call JSON are
 * also checked with their escapes undone: every string of the request then appears verbatim, and
 * neither the redactor's patterns nor the base64 strip can match inside a string without matching
 * the text around it, so a clean combined text means a clean request. With no `"data":` key there
 * is no inline image. Appends to `texts`.
 */
export function isCleanRawRow(
  texts: string[],
  requestJson: string,
  toolCallsJson: string | null,
  guard: TextGuard,
): boolean {
  if (mayHoldImageData(requestJson) || mayHoldImageData(toolCallsJson)) return false;
  if (requestJson.includes('\\')) texts.push(unescapeJsonText(requestJson));
  if (toolCallsJson?.includes('\\')) texts.push(unescapeJsonText(toolCallsJson));
  return guard.isCleanText(texts);
}

/**
 * The store's exact check of a row, whatever the client already did: nothing reaches the database
 * that skipped it. A request or tool call holding an inline image or anything `guard.clean` would
 * change is sanitized (images replaced by placeholders, secrets redacted) and its columns rebuilt,
 * then every text column passes through `guard.clean`. `guardCallParameters` (call-row-guard.ts)
 * runs it where the INSERT runs, after one combined check (`isCleanRawRow`) that most rows pass.
 * Changes `row` in place.
 */
export function guardRowExactly(row: NewCallLogRow, guard: TextGuard): NewCallLogRow {
  const request = JSON.parse(String(row.request_json)) as SanitizedRequest;
  if (!guard.isClean(request)) {
    row.request_json = JSON.stringify(sanitizeRequest(request, guard.redact));
  }
  if (row.tool_calls_json != null) {
    const toolCalls: unknown = JSON.parse(row.tool_calls_json);
    if (!guard.isClean(toolCalls))
      row.tool_calls_json = JSON.stringify(redactDeep(stripDeep(toolCalls), guard.redact));
  }
  return guard.cleanRow(row);
}

/** The readable prompt of a stored request; empty for a request that is not the shape the store writes. */
function promptTextOf(request: SanitizedRequest): string {
  try {
    return flattenPrompt(request.system, request.messages);
  } catch {
    return '';
  }
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * Turns a row back into the entry callers read. Numbers come back as strings from some drivers.
 * `promptText` is not stored (migration 0006): it is flattened here from the stored request,
 * which passed the store's check when it was written, and cleaned once more with the reading
 * store's `guard` when one is given (flattening joins strings, and a key split across two of them
 * must not come together unredacted).
 */
export function rowToEntry(row: CallLogRow, guard?: Pick<TextGuard, 'clean'>): CallLogEntry {
  const template =
    row.template_name === null
      ? null
      : {
          name: row.template_name,
          ...(row.template_version !== null ? { version: row.template_version } : {}),
          ...(row.template_hash !== null ? { hash: row.template_hash } : {}),
          ...(row.template_commit !== null ? { gitCommit: row.template_commit } : {}),
        };
  const request = parseJson<SanitizedRequest>(row.request_json, { messages: [], params: {} });
  const promptText = promptTextOf(request);
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
    promptText: guard === undefined ? promptText : guard.clean(promptText),
    request,
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
