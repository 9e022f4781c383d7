import type { z } from 'zod';
import type { ClientConfig, ProviderConfig } from './client-config.ts';
import type { ClientRuntime } from './core/client-runtime.ts';
import { estimateRequest } from './core/estimate-request.ts';
import { generate } from './core/generate.ts';
import { LLMStream } from './core/llm-stream.ts';
import { buildCallRequest } from './core/prepare-call.ts';
import type { GenerateRequest, RequestOptions } from './core/request.ts';
import type { Estimate, GenerateResult } from './core/result.ts';
import { streamCall } from './core/stream-call.ts';
import { type StructuredRequest, type StructuredResult, structured } from './core/structured.ts';
import { type WithToolsRequest, type WithToolsResult, withTools } from './core/with-tools.ts';
import { ConfigurationError } from './errors/configuration-error.ts';
import { type MapOptions, type MapScope, type MapTask, map } from './fanout/map.ts';
import {
  type ParallelOptions,
  type ParallelResults,
  type ParallelSettled,
  parallel,
} from './fanout/parallel.ts';
import { type VariationsOptions, type VariationsResult, variations } from './fanout/variations.ts';
import { createMeter, type Meter } from './meter/create-meter.ts';
import { createPriceTable, type PriceTable } from './pricing/price-table.ts';
import { createAnthropicProvider } from './providers/anthropic/create-anthropic-provider.ts';
import { createOpenAIProvider } from './providers/openai/create-openai-provider.ts';
import type { Provider } from './providers/provider.ts';
import { createRedactor } from './record/redact-secrets.ts';
import { DEFAULT_TIMEOUTS } from './resilience/attempt-timeouts.ts';
import type { BreakerStatus } from './resilience/breaker-store.ts';
import { createBudget } from './resilience/budget.ts';
import { createCircuitBreaker } from './resilience/circuit-breaker.ts';
import { createRateLimiter } from './resilience/rate-limiter.ts';
import { createRetryPolicy } from './resilience/retry-policy.ts';
import { createDefaultLogger } from './telemetry/create-default-logger.ts';
import { getReinsTracer } from './telemetry/start-attempt-span.ts';
import { sleep } from './util/sleep.ts';
import { uuidv7 } from './util/uuid-v7.ts';

/**
 * The disciplined client. Every method takes `model: 'provider/model'`, `signal`, `metadata`
 * and `headers`; every call is estimated before it is sent, and every attempt is logged,
 * metered and handed to the sinks.
 *
 * @example
 * const client: LLMClient = createClient();
 * const { value } = await client.structured({ model: 'openai/gpt-5.6-luna', prompt, schema });
 */
export type LLMClient = {
  /** One answer, not streamed. */
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** A streamed answer: iterate the events, or await `.text()` / `.final()`. */
  stream(request: GenerateRequest): LLMStream;
  /** The tool loop: the model calls tools until it answers, up to `maxSteps` turns. */
  withTools(request: WithToolsRequest): Promise<WithToolsResult>;
  /** JSON validated against a Zod schema, re-asked with the exact issues on failure. */
  structured<Schema extends z.ZodType>(
    request: StructuredRequest<Schema>,
  ): Promise<StructuredResult<z.output<Schema>>>;
  /** Input tokens, output budget, context window and worst-case cost, without calling the model. */
  estimate(request: RequestOptions): Promise<Estimate>;
  /** The running cost meter. */
  readonly meter: Pick<Meter, 'snapshot' | 'reset'>;
  /** The price table in use (bundled snapshot plus overrides). */
  readonly prices: PriceTable;
  /** `map` with a task per item that makes its own calls (bound to the run's budget and signal). */
  map<Item, Result>(
    items: readonly Item[],
    toTask: (item: Item, index: number) => (scope: MapScope) => Promise<Result>,
    options?: MapOptions,
  ): Promise<Array<PromiseSettledResult<Result>>>;
  /** One request per item, bounded concurrency, at the limiter's pace; settled results in input order. */
  map<Item>(
    items: readonly Item[],
    toRequest: (item: Item, index: number) => GenerateRequest,
    options?: MapOptions,
  ): Promise<Array<PromiseSettledResult<GenerateResult>>>;
  /** Named requests in parallel; `mode: 'settled'` returns each outcome instead of failing fast. */
  parallel<Requests extends Record<string, GenerateRequest>>(
    requests: Requests,
    options?: ParallelOptions & { mode?: 'all' },
  ): Promise<ParallelResults<Requests>>;
  parallel<Requests extends Record<string, GenerateRequest>>(
    requests: Requests,
    options: ParallelOptions & { mode: 'settled' },
  ): Promise<ParallelSettled<Requests>>;
  /** `n` candidates in parallel, one chosen by a scorer or an LLM judge. */
  variations(request: GenerateRequest, options: VariationsOptions): Promise<VariationsResult>;
  /**
   * Breaker state per `provider/model` that has seen traffic, and the client budget.
   *
   * @example
   * const { breakers } = await client.health(); // { 'openai/gpt-5.6-luna': { state: 'open', retryInMs: 12000, … } }
   */
  health(): Promise<ClientHealth>;
};

/** What `client.health()` reports. */
export type ClientHealth = {
  breakers: Record<string, BreakerStatus>;
  budget: { limitUsd: number; spentUsd: number } | null;
};

const DEFAULT_PROVIDERS: Record<string, ProviderConfig> = { openai: {}, anthropic: {} };

function buildProvider(
  name: string,
  config: ProviderConfig,
  fetch: typeof globalThis.fetch | undefined,
): Provider {
  const type = config.type ?? (name === 'openai' || name === 'anthropic' ? name : undefined);
  const shared = {
    name,
    ...(config.apiKey !== undefined ? { apiKey: config.apiKey } : {}),
    ...(config.baseURL !== undefined ? { baseURL: config.baseURL } : {}),
    ...(fetch !== undefined ? { fetch } : {}),
  };
  switch (type) {
    case 'openai':
      return createOpenAIProvider({
        ...shared,
        kind: 'openai',
        apiKeyEnv: config.apiKeyEnv ?? 'OPENAI_API_KEY',
      });
    case 'anthropic':
      return createAnthropicProvider({ ...shared, apiKeyEnv: config.apiKeyEnv ?? 'ANTHROPIC_API_KEY' });
    case 'openai-compatible':
      if (config.baseURL === undefined) {
        throw new ConfigurationError(`Provider "${name}" is openai-compatible and needs a baseURL.`);
      }
      return createOpenAIProvider({
        ...shared,
        kind: 'openai-compatible',
        ...(config.apiKeyEnv !== undefined ? { apiKeyEnv: config.apiKeyEnv } : {}),
      });
    default:
      throw new ConfigurationError(
        `Provider "${name}" needs a type: 'openai', 'anthropic' or 'openai-compatible'.`,
      );
  }
}

/**
 * Creates a client. Nothing is sent and no key is read until the first call.
 *
 * @example
 * import { createClient } from '@reins/client';
 * const client = createClient({ defaults: { model: 'anthropic/claude-haiku-4-5' } });
 * const { text, usage, costUsd } = await client.generate({ prompt: 'Say hi', metadata: { userId: 'u1' } });
 */
export function createClient(config: ClientConfig = {}): LLMClient {
  const providerConfigs = config.providers ?? DEFAULT_PROVIDERS;
  const providers = new Map<string, Provider>();
  for (const [name, providerConfig] of Object.entries(providerConfigs)) {
    providers.set(name, buildProvider(name, providerConfig, config.fetch));
  }
  for (const [name, adapter] of Object.entries(config.adapters ?? {})) providers.set(name, adapter);

  const fixedSecrets = [
    ...Object.values(providerConfigs).map((providerConfig) => providerConfig.apiKey),
    ...(config.secrets ?? []),
  ];
  // Keys may be read from the environment only when the first call is made, so the redactor
  // follows the environment: rebuilt whenever one of those variables changes.
  const envNames = [
    'OPENAI_API_KEY',
    'ANTHROPIC_API_KEY',
    ...Object.values(providerConfigs).flatMap((providerConfig) =>
      providerConfig.apiKeyEnv !== undefined ? [providerConfig.apiKeyEnv] : [],
    ),
  ];
  let redactor: { values: string[]; redact: (text: string) => string } | undefined;
  const getRedactor = () => {
    // Runs on every record: compare in place, allocate only when a variable changed.
    let current = redactor;
    for (let index = 0; current !== undefined && index < envNames.length; index++) {
      if ((process.env[envNames[index]!] ?? '') !== current.values[index]) current = undefined;
    }
    if (current === undefined) {
      const values = envNames.map((name) => process.env[name] ?? '');
      current = { values, redact: createRedactor([...fixedSecrets, ...values]) };
      redactor = current;
    }
    return current.redact;
  };
  const logger = config.logger === false ? undefined : (config.logger ?? createDefaultLogger());
  const warned = new Set<string>();
  const meter = createMeter();
  const prices = createPriceTable(config.prices);
  const now = config.now ?? (() => performance.now());
  const budget = config.budgetUsd === undefined ? undefined : createBudget(config.budgetUsd);
  const runtime: ClientRuntime = {
    providers,
    prices,
    meter,
    logger,
    logAttempts: config.logAttempts ?? 'all',
    sinks: config.sinks ?? [],
    redact: (text) => getRedactor()(text),
    getRedactor,
    now,
    wallClock: config.wallClock ?? Date.now,
    generateId: config.generateId ?? (() => uuidv7()),
    tracer: config.tracer ?? getReinsTracer(),
    defaults: config.defaults ?? {},
    exactTokenCounts: config.exactTokenCounts ?? false,
    shouldRetry: createRetryPolicy(config.retry, config.random ?? Math.random),
    sleep: config.sleep ?? sleep,
    timeouts: {
      totalMs: config.timeout?.totalMs ?? DEFAULT_TIMEOUTS.totalMs,
      firstTokenMs: config.timeout?.firstTokenMs,
      idleMs: config.timeout?.idleMs ?? DEFAULT_TIMEOUTS.idleMs,
    },
    breaker: createCircuitBreaker(config.breaker, now, logger),
    limiter: createRateLimiter({
      ...(config.limits !== undefined ? { limits: config.limits } : {}),
      ...(config.limiter?.store !== undefined ? { store: config.limiter.store } : {}),
      learn: config.limiter?.learnFromHeaders ?? true,
      now,
      logger,
    }),
    budget,
    fallbacks: config.fallbacks ?? {},
    contextFallback: config.contextFallback ?? {},
    contentFallback: config.contentFallback ?? {},
    random: config.random ?? Math.random,
    warnOnce(key, message, fields) {
      if (warned.has(key)) return;
      warned.add(key);
      logger?.warn({ event: 'reins.warning', ...fields }, message);
    },
  };

  return {
    generate: (request) => generate(runtime, request),
    stream: (request) => new LLMStream(() => streamCall(runtime, request)),
    withTools: (request) => withTools(runtime, request),
    structured: (request) => structured(runtime, request),
    async estimate(request) {
      const { model, request: providerRequest } = buildCallRequest(runtime, request);
      return estimateRequest(runtime, model, providerRequest);
    },
    meter: { snapshot: () => meter.snapshot(), reset: () => meter.reset() },
    prices,
    map: ((
      items: readonly unknown[],
      toTask: (item: unknown, index: number) => MapTask<unknown>,
      options?: MapOptions,
    ) => map(runtime, items, toTask, options)) as LLMClient['map'],
    parallel: ((requests: Record<string, GenerateRequest>, options?: ParallelOptions) =>
      parallel(runtime, requests, options)) as LLMClient['parallel'],
    variations: (request, options) => variations(runtime, request, options),
    async health() {
      return {
        breakers: await runtime.breaker.status(),
        budget: budget === undefined ? null : { limitUsd: budget.limitUsd, spentUsd: budget.spentUsd },
      };
    },
  };
}
