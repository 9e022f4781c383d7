export type {
  ClientConfig,
  CompatibleProviderConfig,
  HostedProviderConfig,
  ProviderConfig,
} from './client-config.ts';
export { LLMStream } from './core/llm-stream.ts';
export type { GenerateRequest, RequestOptions, TimeoutOptions } from './core/request.ts';
export type { Estimate, GenerateResult, StreamEvent, ToolCall } from './core/result.ts';
export type { StructuredRequest, StructuredResult } from './core/structured.ts';
export { type Tool, type ToolExecutionOptions, tool } from './core/tool.ts';
export type { ToolResult, ToolStep, WithToolsRequest, WithToolsResult } from './core/with-tools.ts';
export { type ClientHealth, createClient, type LLMClient } from './create-client.ts';
export { AuthError } from './errors/auth-error.ts';
export { BudgetExceededError } from './errors/budget-exceeded-error.ts';
export { CircuitOpenError } from './errors/circuit-open-error.ts';
export { ConfigurationError } from './errors/configuration-error.ts';
export { ContentFilterError } from './errors/content-filter-error.ts';
export { ContextOverflowError } from './errors/context-overflow-error.ts';
export { parseRetryAfter } from './errors/parse-retry-after.ts';
export { ProviderError } from './errors/provider-error.ts';
export { RateLimitError } from './errors/rate-limit-error.ts';
export { ReinsError, type ReinsErrorOptions } from './errors/reins-error.ts';
export { StreamInterruptedError } from './errors/stream-interrupted-error.ts';
export { StructuredOutputError, type StructuredOutputIssue } from './errors/structured-output-error.ts';
export { TimeoutError, type TimeoutLimit } from './errors/timeout-error.ts';
export { toReinsError } from './errors/to-reins-error.ts';
export type { MapOptions, MapProgress, MapScope, MapTask } from './fanout/map.ts';
export type { ParallelOptions, ParallelResults, ParallelSettled } from './fanout/parallel.ts';
export type { VariationScorer, VariationsOptions, VariationsResult } from './fanout/variations.ts';
export type { ContentPart, ImagePart, Message, TextPart, ToolCallPart, ToolResultPart } from './messages.ts';
export {
  type CacheReport,
  createMeter,
  type Meter,
  type MeterEntry,
  type MeterSnapshot,
  type MeterTotals,
} from './meter/create-meter.ts';
export { cacheSavings, computeCost } from './pricing/compute-cost.ts';
export {
  createPriceTable,
  type LongContextPrice,
  type ModelInfo,
  type PriceOverrides,
  type PriceTable,
} from './pricing/price-table.ts';
export { createAnthropicProvider } from './providers/anthropic/create-anthropic-provider.ts';
export { createOpenAIProvider } from './providers/openai/create-openai-provider.ts';
export type {
  FinishReason,
  Provider,
  ProviderKind,
  ProviderRequest,
  ProviderResult,
  ProviderStreamPart,
  ProviderTool,
} from './providers/provider.ts';
export type {
  CallMetadata,
  CallRecord,
  CallSink,
  CallStatus,
  RecordedResponse,
  SanitizedRequest,
  TemplateRef,
  Usage,
} from './record/call-record.ts';
export { flattenPrompt } from './record/flatten-prompt.ts';
export { createRedactor, REDACTED, redactDeep } from './record/redact-secrets.ts';
export { sanitizeRequest } from './record/sanitize-request.ts';
export { imagePlaceholder, stripBase64FromText, stripDeep, stripImages } from './record/strip-images.ts';
export { DEFAULT_TIMEOUTS } from './resilience/attempt-timeouts.ts';
export {
  type BreakerConfig,
  type BreakerPermit,
  type BreakerState,
  type BreakerStatus,
  type BreakerStore,
  type BreakerTransition,
  createMemoryBreakerStore,
  DEFAULT_BREAKER,
} from './resilience/breaker-store.ts';
export { classifyFailure, type FailureClass } from './resilience/failure-class.ts';
export {
  createMemoryLimiterStore,
  type LimiterStore,
  type RateLimitObservation,
  type RateLimits,
} from './resilience/limiter-store.ts';
export { parseRateLimitHeaders } from './resilience/parse-rate-limit-headers.ts';
export {
  createRetryPolicy,
  DEFAULT_RETRY,
  type RetryClassPolicy,
  type RetryConfig,
} from './resilience/retry-policy.ts';
export { type RetryWithBackoffOptions, retryWithBackoff } from './resilience/retry-with-backoff.ts';
export type { LoggerLike } from './telemetry/logger-like.ts';
export { uuidv7, uuidv7Minter } from './util/uuid-v7.ts';
