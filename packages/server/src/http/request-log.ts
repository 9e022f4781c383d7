import { LogController } from 'fastify';

type Request = Parameters<LogController['requestCompleted']>[1];
type Reply = Parameters<LogController['requestCompleted']>[2];

/**
 * One structured line per request, written when it completes, instead of Fastify's two
 * (incoming + completed): `trace_id`, method, route, status, latency and the caller's key owner.
 * Operations reads it next to the per-call lines of `@reins/client` by the same `trace_id`.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'trace_id' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: Request, reply: Reply): void {
    if (this.isLogDisabled(request)) return;
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      url: request.url,
      status: reply.statusCode,
      latency_ms: Math.round(reply.elapsedTime * 100) / 100,
      owner: request.owner || undefined,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}
