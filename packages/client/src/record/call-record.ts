import type { Message } from '../messages.ts';

/**
 * Token usage normalised across providers. `inputTokens` is the total prompt size INCLUDING cached
 * and cache-written tokens (OpenAI's `prompt_tokens` already is; Anthropic's `input_tokens` is not,
 * so its adapter adds `cache_read_input_tokens` and `cache_creation_input_tokens`).
 */
export type Usage = {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** Of `cacheWriteTokens`, those written with Anthropic's 1-hour TTL (priced above 5-minute writes). */
  cacheWrite1hTokens?: number;
};

/** Which template produced a prompt; flows from `@reins/prompts` into every logged call. */
export type TemplateRef = { name: string; version?: string; hash?: string; gitCommit?: string };

/** Caller-supplied context carried into logs, sinks and the meter. */
export type CallMetadata = {
  traceId?: string;
  userId?: string;
  taskId?: string;
  evalRunId?: string;
  tags?: string[];
  template?: TemplateRef;
};

export type CallStatus = 'ok' | 'error';

/**
 * What a sink receives: one record per attempt (the retries of one call share `callId` and
 * differ in `attempt`). The request has already been passed through `sanitizeRequest`: base64
 * images replaced by a placeholder and secrets redacted.
 */
export type CallRecord = {
  /** Unique id of this attempt (UUIDv7). */
  id: string;
  callId: string;
  attempt: number;
  traceId: string;
  provider: string;
  model: string;
  /** 'generate' | 'stream' | 'tools' | 'structured' | 'judge' … */
  operation: string;
  metadata: CallMetadata;
  request: SanitizedRequest;
  response: RecordedResponse | null;
  usage: Usage;
  /** `null` when the model has no known price: never a wrong number. */
  costUsd: number | null;
  latencyMs: number;
  ttftMs: number | null;
  status: CallStatus;
  errorClass: string | null;
  errorMessage: string | null;
  /** ISO-8601 time the attempt started. */
  startedAt: string;
  simulated?: boolean;
};

export type SanitizedRequest = {
  system?: string;
  messages: Message[];
  tools?: Array<{ name: string; description?: string; inputSchema?: unknown }>;
  params: { maxTokens?: number; temperature?: number; stop?: string[]; [key: string]: unknown };
};

export type RecordedResponse = {
  text: string;
  toolCalls: Array<{ id: string; name: string; input: unknown }>;
  finishReason: string;
};

/**
 * Receives every attempt's record. `write` must not block the caller: a sink that does I/O
 * buffers and returns at once (see `@reins/store`'s batched writer).
 *
 * @example
 * const sink: CallSink = { write: (record) => console.log(record.callId, record.costUsd) };
 * const client = createClient({ sinks: [sink] });
 */
export type CallSink = {
  write(record: CallRecord): void;
  flush?(): Promise<void>;
};
