import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps.ts';
import { METRICS_CONTENT_TYPE } from '../metrics/metrics-registry.ts';

/** `GET /metrics`: Prometheus text exposition. */
export const metricsRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)' } },
    async (_request, reply) => {
      reply.type(METRICS_CONTENT_TYPE);
      return deps.metrics.registry.render();
    },
  );
};
