import type { FinishReason } from '../providers/provider.ts';
import type { Usage } from '../record/call-record.ts';

/**
 * The pre-call estimate (`client.estimate(request)`, and `result.estimate` on every result):
 * input tokens (exact for OpenAI; local estimate or `count_tokens` for Anthropic), the output
 * budget, the model's window, and the most the call can cost (all input uncached, every output
 * token used). `null` where the model is not in the price table.
 *
 * @example
 * const { inputTokens, maxCostUsd } = await client.estimate({ model: 'openai/gpt-5.6-luna', prompt, maxTokens: 500 });
 */
export type Estimate = {
  inputTokens: number;
  maxOutputTokens: number | null;
  contextWindow: number | null;
  maxCostUsd: number | null;
  /** `true` when `inputTokens` is the provider's own count (or OpenAI's exact tokenizer). */
  exact: boolean;
};

/** A tool call the model made: `result.toolCalls[0].name`, `.input` (parsed JSON). */
export type ToolCall = { id: string; name: string; input: unknown };

/**
 * What `generate` resolves to, and `stream(...).final()`.
 *
 * @example
 * const { text, usage, costUsd, callId } = await client.generate({ model, prompt: 'Hi' });
 */
export type GenerateResult = {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** The provider's own finish reason (`end_turn`, `stop`, `refusal`…). */
  rawFinishReason: string | null;
  usage: Usage;
  /** `null` when the model has no known price. */
  costUsd: number | null;
  estimate: Estimate;
  traceId: string;
  callId: string;
  /** Provider requests this call made (retries and re-asks included). */
  attempts: number;
  latencyMs: number;
  /** Time to the first content (streaming) or to the response (non-streaming). */
  ttftMs: number | null;
  /** `provider/model` as requested. */
  model: string;
  provider: string;
  /** The model id the provider says answered. */
  responseModel?: string;
  /** Set when a fallback answered: the model that was asked first (`model` is the one that answered). */
  fallbackFrom?: string;
};

/**
 * Tagged stream events. `error` is the last event of a failed stream (and `.final()` rejects
 * with the same error).
 *
 * @example
 * for await (const event of client.stream(request)) {
 *   if (event.type === 'text-delta') write(event.delta);
 *   else if (event.type === 'error') report(event.error);
 * }
 */
export type StreamEvent =
  | { type: 'text-delta'; delta: string }
  | { type: 'tool-call'; id: string; name: string; input: unknown }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; result: GenerateResult }
  /** `resumeStrategy: 'restart'`: the stream broke and is sent again; discard the text so far. */
  | { type: 'restart'; attempt: number; error: unknown }
  | { type: 'error'; error: unknown };
