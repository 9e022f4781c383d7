import type { CallSink } from '@reins/client';
import type { ServerMetrics } from './server-metrics.ts';

type Increment = { inc(value?: number): void };

/** The series one model's attempts feed, resolved once per model (label keys are not rebuilt per call). */
type ModelSeries = {
  calls: Map<string, Increment>;
  input: Increment;
  cachedInput: Increment;
  cacheWrite: Increment;
  output: Increment;
  reasoning: Increment;
  cost: Increment;
  latency: { observe(value: number): void };
};

/**
 * A client sink that feeds the LLM metrics: one attempt → calls, tokens, cost and latency.
 *
 * @example
 * createClient({ sinks: [store.sink(), createMetricsSink(metrics)] });
 */
export function createMetricsSink(metrics: ServerMetrics): CallSink {
  const byProvider = new Map<string, Map<string, ModelSeries>>();
  const seriesOf = (provider: string, modelId: string): ModelSeries => {
    let models = byProvider.get(provider);
    if (models === undefined) {
      models = new Map();
      byProvider.set(provider, models);
    }
    let series = models.get(modelId);
    if (series === undefined) {
      const model = `${provider}/${modelId}`;
      const tokens = (kind: string) => metrics.llmTokens.series({ model, kind });
      series = {
        calls: new Map(),
        input: tokens('input'),
        cachedInput: tokens('cached_input'),
        cacheWrite: tokens('cache_write'),
        output: tokens('output'),
        reasoning: tokens('reasoning'),
        cost: metrics.llmCost.series({ model }),
        latency: metrics.llmLatency.series({ model }),
      };
      models.set(modelId, series);
    }
    return series;
  };
  return {
    write(record) {
      const series = seriesOf(record.provider, record.model);
      let calls = series.calls.get(record.status);
      if (calls === undefined) {
        calls = metrics.llmCalls.series({
          provider: record.provider,
          model: record.model,
          status: record.status,
        });
        series.calls.set(record.status, calls);
      }
      calls.inc();
      const { usage } = record;
      if (usage.inputTokens > 0) series.input.inc(usage.inputTokens);
      if (usage.cachedInputTokens > 0) series.cachedInput.inc(usage.cachedInputTokens);
      if (usage.cacheWriteTokens > 0) series.cacheWrite.inc(usage.cacheWriteTokens);
      if (usage.outputTokens > 0) series.output.inc(usage.outputTokens);
      if (usage.reasoningTokens > 0) series.reasoning.inc(usage.reasoningTokens);
      if (record.costUsd !== null && record.costUsd > 0) series.cost.inc(record.costUsd);
      series.latency.observe(record.latencyMs / 1000);
    },
  };
}
