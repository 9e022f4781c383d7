import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { UnavailableError } from '../errors/server-error.ts';

const HealthSchema = z.object({
  status: z.literal('ok'),
  simulated: z.boolean().describe('true when the in-process simulator answers as the providers'),
  uptimeSeconds: z.number(),
});

const ReadySchema = z.object({
  status: z.literal('ready'),
  checks: z.record(z.string(), z.literal('ok')),
});

const CHECK_TIMEOUT_MS = 2_000;

/** `GET /health` (the process answers) and `GET /ready` (store, queue and providers answer). */
export const healthRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const startedAt = deps.clock.now();

  app.get(
    '/health',
    { schema: { tags: ['operations'], summary: 'Liveness', response: { 200: HealthSchema } } },
    async () => ({
      status: 'ok' as const,
      simulated: deps.config.simulated,
      uptimeSeconds: Math.round((deps.clock.now() - startedAt) / 1000),
    }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness of the store, queue and providers',
        response: { 200: ReadySchema },
      },
    },
    async () => {
      const results = await Promise.all(
        Object.entries(deps.readiness).map(async ([name, check]) => {
          try {
            await Promise.race([
              check(),
              new Promise((_, reject) =>
                setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref(),
              ),
            ]);
            return [name, 'ok'] as const;
          } catch (error) {
            return [name, error instanceof Error ? error.message : String(error)] as const;
          }
        }),
      );
      const failing = results.filter(([, result]) => result !== 'ok');
      if (failing.length > 0) {
        throw new UnavailableError(
          `not ready: ${failing.map(([name, reason]) => `${name} (${reason})`).join(', ')}`,
          { checks: Object.fromEntries(results) },
          5,
        );
      }
      return { status: 'ready' as const, checks: Object.fromEntries(results) as Record<string, 'ok'> };
    },
  );
};
