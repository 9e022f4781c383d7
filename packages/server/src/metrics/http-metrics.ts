import type { ServerMetrics } from './server-metrics.ts';

type RouteSeries = {
  duration: { observe(value: number): void };
  requests: Map<number, { inc(value?: number): void }>;
};

/**
 * Counts one finished HTTP request in `reins_http_requests_total` and
 * `reins_http_request_duration_seconds`, with the series of each route, method and status
 * resolved once (this runs on every request).
 *
 * @example
 * const recordRequest = createHttpMetrics(metrics);
 * recordRequest('POST', '/v1/generate', 200, 0.004);
 */
export function createHttpMetrics(metrics: ServerMetrics) {
  const byRoute = new Map<string, Map<string, RouteSeries>>();
  return (method: string, route: string, status: number, seconds: number): void => {
    let methods = byRoute.get(route);
    if (methods === undefined) {
      methods = new Map();
      byRoute.set(route, methods);
    }
    let series = methods.get(method);
    if (series === undefined) {
      series = { duration: metrics.httpDuration.series({ method, route }), requests: new Map() };
      methods.set(method, series);
    }
    let requests = series.requests.get(status);
    if (requests === undefined) {
      requests = metrics.httpRequests.series({ method, route, status: String(status) });
      series.requests.set(status, requests);
    }
    requests.inc();
    series.duration.observe(seconds);
  };
}
