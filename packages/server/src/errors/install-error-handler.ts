import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';
import { NotFoundError, ServerError } from './server-error.ts';
import { FRAMEWORK_ERRORS, toProblem } from './to-problem.ts';

/**
 * Fastify's 413 says only "Request body is too large"; the client needs the limit to fit under
 * it. The route's limit is known here (the request), not where errors are mapped.
 */
function bodyTooLarge(error: unknown, request: FastifyRequest): unknown {
  const code = 'FST_ERR_CTP_BODY_TOO_LARGE';
  if ((error as { code?: unknown } | null)?.code !== code) return error;
  const limit = request.routeOptions.bodyLimit;
  const sent = Number(request.headers['content-length']);
  return new ServerError({
    ...FRAMEWORK_ERRORS[code]!,
    detail: `the request body${sent > 0 ? ` (${sent} bytes)` : ''} is over this server's limit of ${limit} bytes`,
    extensions: { limitBytes: limit },
    cause: error,
  });
}

/**
 * Routes every thrown error and every unmatched route through `toProblem`, so all error
 * responses are `application/problem+json`. The body is sent pre-serialised: a route's response
 * schema never rejects (and so never turns into a 500) an error body.
 *
 * @example
 * const app = Fastify();
 * installErrorHandler(app);
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { problem, headers } = toProblem(bodyTooLarge(error, request), {
      instance: request.url,
      traceId: String(request.id),
    });
    if (problem.status >= 500) request.log.error({ err: error, status: problem.status }, 'request failed');
    else
      request.log.info(
        { status: problem.status, problem: problem.type, detail: problem.detail },
        'request refused',
      );
    if (reply.sent || reply.raw.headersSent) return;
    if (!Number.isInteger(problem.status) || problem.status < 400 || problem.status > 599)
      problem.status = 500;
    reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const { problem } = toProblem(
      new NotFoundError('route', `${request.method} ${path}`, 'route-not-found'),
      {
        instance: request.url,
        traceId: String(request.id),
      },
    );
    reply.code(404).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  });
}
