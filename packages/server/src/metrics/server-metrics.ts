import { createMetricsRegistry } from './metrics-registry.ts';

type Sample = { labels: Record<string, string>; value: number };

/** What the metrics read at scrape time from the rest of the server. */
export type MetricsSources = {
  /** Tasks per status, e.g. `{ queued: 3, running: 1 }`. */
  queueDepth?: () => Promise<Record<string, number>>;
  /** Breaker state per `provider/model`: 0 closed, 1 half-open, 2 open. */
  breakerStates?: () => Promise<Record<string, number>>;
};

/**
 * The server's named metrics on one registry: HTTP requests and latency, LLM calls, tokens and
 * cost, queue depth and breaker states.
 *
 * @example
 * const metrics = createServerMetrics({ queueDepth: () => queue.counts() });
 * metrics.httpRequests.inc({ method: 'GET', route: '/health', status: '200' });
 */
export function createServerMetrics(sources: MetricsSources = {}) {
  const registry = createMetricsRegistry();
  const started = Date.now();
  const toSamples = (values: Record<string, number>, label: string): Sample[] =>
    Object.entries(values).map(([key, value]) => ({ labels: { [label]: key }, value }));
  return {
    registry,
    httpRequests: registry.counter('reins_http_requests_total', 'HTTP requests by method, route and status.'),
    httpDuration: registry.histogram(
      'reins_http_request_duration_seconds',
      'HTTP request latency in seconds, by method and route.',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    ),
    llmCalls: registry.counter('reins_llm_calls_total', 'LLM call attempts by provider, model and status.'),
    llmTokens: registry.counter(
      'reins_llm_tokens_total',
      'LLM tokens by model and kind (input, cached_input, cache_write, output, reasoning).',
    ),
    llmCost: registry.counter('reins_llm_cost_usd_total', 'LLM cost in USD by model.'),
    llmLatency: registry.histogram(
      'reins_llm_latency_seconds',
      'LLM attempt latency in seconds, by model.',
      [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
    ),
    tasks: registry.counter('reins_tasks_finished_total', 'Tasks finished by kind and final status.'),
    queueDepth: registry.gauge('reins_queue_tasks', 'Tasks in the queue by status.', async () =>
      sources.queueDepth === undefined ? [] : toSamples(await sources.queueDepth(), 'status'),
    ),
    breakerState: registry.gauge(
      'reins_breaker_state',
      'Circuit breaker state by model: 0 closed, 1 half-open, 2 open.',
      async () =>
        sources.breakerStates === undefined ? [] : toSamples(await sources.breakerStates(), 'model'),
    ),
    uptime: registry.gauge('reins_uptime_seconds', 'Seconds since the server started.', async () => [
      { labels: {}, value: Math.round((Date.now() - started) / 1000) },
    ]),
    memory: registry.gauge(
      'reins_process_resident_memory_bytes',
      'Resident memory of this process.',
      async () => [{ labels: {}, value: process.memoryUsage.rss() }],
    ),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
