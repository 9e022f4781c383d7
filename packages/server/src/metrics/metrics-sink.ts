import type { CallSink } from '@reins/client';
import type { ServerMetrics } from './server-metrics.ts';

/**
 * A client sink that feeds the LLM metrics: one attempt → calls, tokens, cost and latency.
 *
 * @example
 * createClient({ sinks: [store.sink(), createMetricsSink(metrics)] });
 */
export function createMetricsSink(metrics: ServerMetrics): CallSink {
  return {
    write(record) {
      const model = `${record.provider}/${record.model}`;
      metrics.llmCalls.inc({ provider: record.provider, model: record.model, status: record.status });
      const { usage } = record;
      const kinds: Array<[string, number]> = [
        ['input', usage.inputTokens],
        ['cached_input', usage.cachedInputTokens],
        ['cache_write', usage.cacheWriteTokens],
        ['output', usage.outputTokens],
        ['reasoning', usage.reasoningTokens],
      ];
      for (const [kind, value] of kinds) if (value > 0) metrics.llmTokens.inc({ model, kind }, value);
      if (record.costUsd !== null && record.costUsd > 0) metrics.llmCost.inc({ model }, record.costUsd);
      metrics.llmLatency.observe({ model }, record.latencyMs / 1000);
    },
  };
}
