import type { Message } from '../messages.ts';
import type { Usage } from '../record/call-record.ts';

/**
 * The adapter contract between Reins and one wire protocol. Everything above `providers/` sees
 * only these types; an adapter is the only code that imports an SDK. One `doGenerate` or
 * `doStream` call is one provider request: one attempt. Retries, timeouts, logging and metering
 * live above this line.
 *
 * @example
 * const provider: Provider = createOpenAIProvider({ name: 'local', kind: 'openai-compatible',
 *   baseURL: 'http://localhost:8080/v1' });
 * const result = await provider.doGenerate({ model: 'llama-3.1-8b', messages, maxTokens: 256 });
 */
export type Provider = {
  /** The configured name: the part of `name/model` before the slash. */
  readonly name: string;
  /** The wire protocol, which decides which bundled prices and tokenizer apply. */
  readonly kind: ProviderKind;
  doGenerate(request: ProviderRequest): Promise<ProviderResult>;
  /** Resolves once the response has started (headers received); then yields parts. */
  doStream(request: ProviderRequest): Promise<AsyncIterable<ProviderStreamPart>>;
  /** Local input-token count of the request as this adapter would send it; no network. */
  estimateInputTokens(request: ProviderRequest): number;
  /** Exact input-token count from the provider, where it has an endpoint for it. */
  countTokens?(request: ProviderRequest): Promise<number>;
};

/** The wire protocol an adapter speaks (`provider.kind`). */
export type ProviderKind = 'openai' | 'anthropic' | 'openai-compatible';

/**
 * A tool as the model sees it: the Zod schema already turned into JSON Schema.
 *
 * @example
 * { name: 'weather', description: 'Current weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }
 */
export type ProviderTool = { name: string; description?: string; inputSchema: Record<string, unknown> };

export type ProviderToolChoice = 'auto' | 'required' | 'none' | { name: string };

/**
 * Ask for JSON matching `schema`: `native` uses the provider's structured output (OpenAI
 * `response_format: json_schema`, strict where the schema allows; Anthropic `output_config`),
 * `tool` forces a call to a `json_output` tool. Either way the adapter returns the JSON as text.
 */
export type ProviderResponseFormat = {
  type: 'json-schema';
  name: string;
  schema: Record<string, unknown>;
  mode: 'native' | 'tool';
};

/** Where prompt-cache markers go, decided by the caching policy above the adapter. */
export type ProviderCachePlan = {
  /** Anthropic: mark the last tool definition. */
  tools?: boolean;
  /** Anthropic: mark the end of the system prompt. */
  system?: boolean;
  /** Anthropic: mark the last content block of these messages (indexes into `messages`). */
  messageIndexes?: number[];
  ttl?: '5m' | '1h';
  /** OpenAI: routes requests with a shared prefix to the same cache. */
  promptCacheKey?: string;
};

/**
 * One request as an adapter receives it: Reins messages, the provider's own model id, and the
 * options already resolved (defaults, cache plan).
 *
 * @example
 * await provider.doGenerate({ model: 'gpt-5.6-luna', system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], maxTokens: 100 });
 */
export type ProviderRequest = {
  /** The provider's own model id (no `provider/` prefix). */
  model: string;
  system?: string;
  messages: Message[];
  maxTokens?: number;
  /** Dropped by the Anthropic adapter: API version 2026-10-21 rejects sampling parameters. */
  temperature?: number;
  stop?: string[];
  tools?: ProviderTool[];
  toolChoice?: ProviderToolChoice;
  responseFormat?: ProviderResponseFormat;
  cache?: ProviderCachePlan;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Per-request transport timeout handed to the SDK, in milliseconds. */
  timeoutMs?: number;
  /**
   * Called with the HTTP response headers as soon as the response starts (rate-limit headers
   * for the limiter, `x-simulator`); error responses carry theirs on the thrown SDK error.
   */
  onResponse?: (headers: { get(name: string): string | null }) => void;
};

/**
 * Normalised across providers: `tool-calls` means the model wants tools run.
 *
 * @example
 * if (result.finishReason === 'length') console.warn('raise maxTokens');
 */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/** A complete tool call from an adapter; `input` is `undefined` when `rawInput` was not valid JSON. */
export type ProviderToolCall = { id: string; name: string; input: unknown; rawInput: string };

/**
 * One non-streaming answer from an adapter, usage already normalised.
 *
 * @example
 * const { text, toolCalls, finishReason, usage } = await provider.doGenerate(request);
 */
export type ProviderResult = {
  text: string;
  toolCalls: ProviderToolCall[];
  finishReason: FinishReason;
  /** The provider's own word for it (`end_turn`, `stop`, `refusal`…), for logs. */
  rawFinishReason: string | null;
  usage: Usage;
  /** The model id the provider says answered. */
  responseModel?: string;
  responseId?: string;
};

/**
 * What `doStream` yields (`for await (const part of await provider.doStream(request))`). Text arrives as deltas; a tool call arrives whole once its arguments
 * are complete; `usage` may come more than once (the last one wins); `finish` comes last.
 */
export type ProviderStreamPart =
  | { type: 'text-delta'; delta: string }
  | { type: 'tool-call'; toolCall: ProviderToolCall }
  | { type: 'usage'; usage: Usage }
  | {
      type: 'finish';
      finishReason: FinishReason;
      rawFinishReason: string | null;
      responseModel?: string;
      responseId?: string;
    };
