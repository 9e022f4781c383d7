import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from './metrics-registry.ts';

describe('createMetricsRegistry', () => {
  it('renders counters, collected gauges and cumulative histograms', async () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('c_total', 'A counter.');
    counter.inc({ model: 'a"b\\c\nd' }, 2);
    counter.inc({ model: 'a"b\\c\nd' });
    registry.gauge('g', 'A gauge.', async () => [{ labels: { status: 'queued' }, value: 3 }]);
    const histogram = registry.histogram('h_seconds', 'A histogram.', [1, 0.1]);
    histogram.observe({}, 0.05);
    histogram.observe({}, 0.5);
    histogram.observe({}, 5);
    expect(await registry.render()).toBe(
      [
        '# HELP c_total A counter.',
        '# TYPE c_total counter',
        'c_total{model="a\\"b\\\\c\\nd"} 3',
        '# HELP g A gauge.',
        '# TYPE g gauge',
        'g{status="queued"} 3',
        '# HELP h_seconds A histogram.',
        '# TYPE h_seconds histogram',
        'h_seconds_bucket{le="0.1"} 1',
        'h_seconds_bucket{le="1"} 2',
        'h_seconds_bucket{le="+Inf"} 3',
        'h_seconds_sum 5.55',
        'h_seconds_count 3',
        '',
      ].join('\n'),
    );
  });

  it('keeps the scrape alive when a collector fails', async () => {
    const registry = createMetricsRegistry();
    registry.gauge('broken', 'Fails.', async () => Promise.reject(new Error('down')));
    expect(await registry.render()).toBe('# HELP broken Fails.\n# TYPE broken gauge\n');
  });
});
