import type { CallStatus, RecordedResponse, SanitizedRequest, TemplateRef, Usage } from '@reins/client';

/**
 * One attempt as read back from the call log. `promptText` is the prompt as a person reads it
 * (`[system] …`, `[user] …`); `request` is the sanitized request as sent (images replaced by
 * placeholders, secrets redacted).
 */
export type CallLogEntry = {
  id: string;
  callId: string;
  attempt: number;
  traceId: string;
  userId: string | null;
  taskId: string | null;
  evalRunId: string | null;
  provider: string;
  model: string;
  operation: string;
  template: TemplateRef | null;
  promptText: string;
  request: SanitizedRequest;
  responseText: string | null;
  toolCalls: RecordedResponse['toolCalls'];
  finishReason: string | null;
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
  ttftMs: number | null;
  status: CallStatus;
  errorClass: string | null;
  errorMessage: string | null;
  tags: string[];
  simulated: boolean;
  /** ISO-8601, when the attempt started. */
  createdAt: string;
};

/** An attempt together with every attempt of its call (retries share `callId`), first attempt first. */
export type CallDetail = CallLogEntry & { attempts: CallLogEntry[] };
