import { LogController } from 'fastify';

type Request = Parameters<LogController['requestCompleted']>[1];
type Reply = Parameters<LogController['requestCompleted']>[2];

/**
 * One structured line per request, written when it completes, instead of Fastify's two
 * (incoming + completed): `trace_id`, method, route, status, latency and the caller's key owner.
 * Operations reads it next to the per-call lines of `@reins/client` by the same `trace_id`.
 * A request that made one successful LLM call (`/v1/generate`, `/v1/structured`) is one line:
 * the client's `llm.call` line (held by `createCallLineJoin`) with the request's fields under
 * `http`.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'trace_id' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: Request, reply: Reply): void {
    const call = request.callLine?.take();
    if (call !== undefined) call['trace_id'] = undefined; // the request's logger binds it
    if (this.isLogDisabled(request)) {
      if (call !== undefined) reply.log.info(call, 'llm call');
      return;
    }
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      url: request.url,
      status: reply.statusCode,
      latency_ms: Math.round(reply.elapsedTime * 100) / 100,
      owner: request.owner || undefined,
    };
    if (call !== undefined && !error) {
      call['http'] = line;
      reply.log.info(call, 'request');
      return;
    }
    if (call !== undefined) reply.log.info(call, 'llm call');
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}
