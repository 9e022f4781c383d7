import './http/fastify-augment.ts';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppDeps } from './deps.ts';
import { installErrorHandler } from './errors/install-error-handler.ts';
import { RateLimitedError } from './errors/server-error.ts';
import { createAuthenticator } from './http/auth.ts';
import { RequestLogController } from './http/request-log.ts';
import { traceIdFrom } from './http/trace-id.ts';
import { createHttpMetrics } from './metrics/http-metrics.ts';
import { callRoutes } from './routes/calls.ts';
import { evalRoutes } from './routes/evals.ts';
import { generateRoutes } from './routes/generate.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { promptRoutes } from './routes/prompts.ts';
import { streamRoutes } from './routes/stream.ts';
import { taskRoutes } from './routes/tasks.ts';

export const API_VERSION = '0.1.0';

/**
 * Builds the Fastify app from its dependencies; it does not listen (`app.listen` or
 * `app.inject` is the caller's choice), and it does not own the deps' lifecycles.
 *
 * @example
 * const app = await createApp(createTestDeps());
 * const response = await app.inject({ method: 'GET', url: '/health' });
 */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new RequestLogController(),
    genReqId: traceIdFrom(deps.ids),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  const authenticate = createAuthenticator(config.auth);
  app.decorateRequest('owner', '');
  app.decorateRequest('callLine', undefined);
  // Callback hooks, not async ones: these run on every request, and an async hook costs Fastify
  // a promise and a microtask hop each.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-trace-id', request.id);
    if (config.simulated) reply.header('x-reins-simulated', 'true');
    if (request.url.startsWith('/v1/')) {
      try {
        request.owner = authenticate(request);
      } catch (error) {
        done(error as Error);
        return;
      }
    }
    done();
  });
  const recordRequest = createHttpMetrics(deps.metrics);
  app.addHook('onResponse', (request, reply, done) => {
    recordRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });

  if (config.cors.origins !== false) {
    await app.register(fastifyCors, {
      origin: config.cors.origins === '*' ? '*' : config.cors.origins,
      exposedHeaders: ['x-trace-id', 'x-reins-simulated', 'retry-after', 'location'],
      maxAge: 600,
    });
  }

  await app.register(fastifyRateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.rateLimit.perMinute,
    timeWindow: 60_000,
    ...(deps.redis === undefined
      ? {}
      : { redis: deps.redis, nameSpace: `${config.queue.prefix}:rate-limit:` }),
    keyGenerator: (request) => (request.owner ? `owner:${request.owner}` : `ip:${request.ip}`),
    allowList: (request) => !request.url.startsWith('/v1/'),
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError(Math.max(1, Math.ceil(context.ttl / 1000)), context.max),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Reins API',
        version: API_VERSION,
        description:
          'The LLM backend: generate and stream through the disciplined client, background tasks, prompt templates, the call log and usage. Errors are application/problem+json (RFC 9457).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key from REINS_API_KEYS' },
        },
      },
      security: config.auth.required ? [{ bearer: [] }] : [],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { deps });
  await app.register(metricsRoutes, { deps });
  await app.register(generateRoutes, { deps });
  await app.register(streamRoutes, { deps });
  await app.register(promptRoutes, { deps });
  await app.register(callRoutes, { deps });
  await app.register(taskRoutes, { deps });
  await app.register(evalRoutes, { deps });
  return app;
}
