import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock.ts';
import type { Config } from './config/config.ts';
import type { IdGenerator } from './ids.ts';
import type { ServerMetrics } from './metrics/server-metrics.ts';

/** A readiness probe: resolves when the dependency can serve, rejects (with a reason) when not. */
export type ReadinessCheck = () => Promise<unknown>;

/**
 * Everything the app needs, passed explicitly so tests replace any part of it
 * (`createTestDeps(overrides)`) and production wires the real ones (`createProductionDeps`).
 */
export type AppDeps = {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  /** A pino logger; `undefined` keeps the app silent (tests). */
  logger: FastifyBaseLogger | undefined;
  metrics: ServerMetrics;
  /** Probes reported by `/ready` by name: store, queue, providers. */
  readiness: Record<string, ReadinessCheck>;
};
