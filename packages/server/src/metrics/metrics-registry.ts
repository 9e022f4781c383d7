type Labels = Record<string, string>;

type Metric = {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  render(): Promise<string[]>;
};

/** A monotonically increasing count, per label set. */
export type Counter = {
  inc(labels?: Labels, value?: number): void;
  /** The series of one label set, resolved once: `inc` on it skips building the label key. */
  series(labels: Labels): { inc(value?: number): void };
};
/** A value read at scrape time (`collect`) or set directly. */
export type Gauge = { set(labels: Labels, value: number): void };
/** A distribution over fixed buckets (Prometheus cumulative `le` buckets). */
export type Histogram = {
  observe(labels: Labels, value: number): void;
  /** The series of one label set, resolved once: `observe` on it skips building the label key. */
  series(labels: Labels): { observe(value: number): void };
};

/**
 * A minimal Prometheus registry: counters, gauges and histograms rendered in the text
 * exposition format (0.0.4). Small enough to own, so the server does not need `prom-client`.
 *
 * @example
 * const registry = createMetricsRegistry();
 * const requests = registry.counter('reins_http_requests_total', 'HTTP requests', ['method']);
 * requests.inc({ method: 'GET' });
 * const text = await registry.render();
 */
export function createMetricsRegistry() {
  const metrics: Metric[] = [];

  function register(metric: Metric) {
    if (metrics.some((existing) => existing.name === metric.name)) {
      throw new Error(`metric ${metric.name} is registered twice`);
    }
    metrics.push(metric);
  }

  return {
    counter(name: string, help: string): Counter {
      const values = new Map<string, { labels: Labels; value: number }>();
      register({
        name,
        help,
        type: 'counter',
        render: async () =>
          [...values.values()].map((entry) => `${name}${formatLabels(entry.labels)} ${entry.value}`),
      });
      const entryOf = (labels: Labels) => {
        const key = labelKey(labels);
        let entry = values.get(key);
        if (entry === undefined) {
          entry = { labels, value: 0 };
          values.set(key, entry);
        }
        return entry;
      };
      return {
        inc(labels = {}, value = 1) {
          entryOf(labels).value += value;
        },
        series(labels) {
          // Registered on first use, as `inc` would: a resolved series that never counts is not rendered.
          let entry: { labels: Labels; value: number } | undefined;
          return {
            inc(value = 1) {
              entry ??= entryOf(labels);
              entry.value += value;
            },
          };
        },
      };
    },

    gauge(
      name: string,
      help: string,
      collect?: () => Promise<Array<{ labels: Labels; value: number }>>,
    ): Gauge {
      const values = new Map<string, { labels: Labels; value: number }>();
      register({
        name,
        help,
        type: 'gauge',
        render: async () => {
          const entries = collect === undefined ? [...values.values()] : await collect();
          return entries.map((entry) => `${name}${formatLabels(entry.labels)} ${entry.value}`);
        },
      });
      return {
        set(labels, value) {
          values.set(labelKey(labels), { labels, value });
        },
      };
    },

    histogram(name: string, help: string, buckets: number[]): Histogram {
      const sorted = [...buckets].sort((a, b) => a - b);
      const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
      register({
        name,
        help,
        type: 'histogram',
        render: async () => {
          const lines: string[] = [];
          for (const entry of series.values()) {
            for (const [index, bound] of sorted.entries()) {
              lines.push(
                `${name}_bucket${formatLabels({ ...entry.labels, le: String(bound) })} ${entry.counts[index]}`,
              );
            }
            lines.push(`${name}_bucket${formatLabels({ ...entry.labels, le: '+Inf' })} ${entry.count}`);
            lines.push(`${name}_sum${formatLabels(entry.labels)} ${entry.sum}`);
            lines.push(`${name}_count${formatLabels(entry.labels)} ${entry.count}`);
          }
          return lines;
        },
      });
      type Entry = { labels: Labels; counts: number[]; sum: number; count: number };
      const entryOf = (labels: Labels): Entry => {
        const key = labelKey(labels);
        let entry = series.get(key);
        if (entry === undefined) {
          entry = { labels, counts: sorted.map(() => 0), sum: 0, count: 0 };
          series.set(key, entry);
        }
        return entry;
      };
      const record = (entry: Entry, value: number) => {
        const counts = entry.counts;
        for (let index = sorted.length - 1; index >= 0 && value <= sorted[index]!; index--)
          counts[index]! += 1;
        entry.sum += value;
        entry.count += 1;
      };
      return {
        observe(labels, value) {
          record(entryOf(labels), value);
        },
        series(labels) {
          let entry: Entry | undefined;
          return {
            observe(value) {
              entry ??= entryOf(labels);
              record(entry, value);
            },
          };
        },
      };
    },

    /** The exposition text; a collector that fails renders no samples rather than failing the scrape. */
    async render(): Promise<string> {
      const blocks: string[] = [];
      for (const metric of metrics) {
        const samples = await metric.render().catch(() => []);
        blocks.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}\n# TYPE ${metric.name} ${metric.type}`);
        if (samples.length > 0) blocks.push(samples.join('\n'));
      }
      return `${blocks.join('\n')}\n`;
    },
  };
}

export type MetricsRegistry = ReturnType<typeof createMetricsRegistry>;

/** The content type of the text exposition format. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Runs twice or more per request (HTTP and LLM metrics): one string, no intermediate arrays. */
function labelKey(labels: Labels): string {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let key = '';
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!;
    key += `${index === 0 ? '' : '\u0000'}${name}=${labels[name]}`;
  }
  return key;
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function escapeHelp(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}
