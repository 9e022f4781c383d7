import type { IncomingMessage } from 'node:http';
import type { IdGenerator } from '../ids.ts';

const TRACE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The trace id of a request: the caller's `x-trace-id`, else the trace id of a W3C
 * `traceparent`, else a new id. It becomes Fastify's request id, so every log line of the
 * request carries it, and it flows into the LLM calls the request makes.
 *
 * @example
 * Fastify({ genReqId: traceIdFrom(uuidv7Ids()) });
 */
export function traceIdFrom(ids: IdGenerator): (request: IncomingMessage) => string {
  return (request) => {
    const given = request.headers['x-trace-id'];
    if (typeof given === 'string' && TRACE_ID.test(given)) return given;
    const parent = request.headers.traceparent;
    const match = typeof parent === 'string' ? TRACEPARENT.exec(parent) : null;
    if (match !== null) return match[1]!;
    return ids.next();
  };
}
