import type { PriceTable } from '@reins/client';
import type { EvalsService } from '@reins/evals';
import type { PromptRegistry } from '@reins/prompts';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Clock } from './clock.ts';
import type { Config } from './config/config.ts';
import type { CallLineJoin } from './http/call-line-join.ts';
import type { IdGenerator } from './ids.ts';
import type { ServerMetrics } from './metrics/server-metrics.ts';
import type { CallsService } from './services/calls-service.ts';
import type { LlmService } from './services/llm-service.ts';
import type { TasksService } from './services/tasks-service.ts';

/** A readiness probe: resolves when the dependency can serve, rejects (with a reason) when not. */
export type ReadinessCheck = () => Promise<unknown>;

/**
 * Everything the app needs, passed explicitly: production wires the real pieces
 * (`createServerDeps`), tests the same ones on SQLite in memory and the simulator
 * (`createTestDeps(overrides)`), and either may replace any part.
 */
export type AppDeps = {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  /** A pino logger; `undefined` keeps the app silent (tests). */
  logger: FastifyBaseLogger | undefined;
  metrics: ServerMetrics;
  /** Holds a request's LLM call line for its request line; absent when nothing logs. */
  callLines?: CallLineJoin;
  /** Probes reported by `/ready` by name: store, queue, providers. */
  readiness: Record<string, ReadinessCheck>;
  llm: LlmService;
  prompts: PromptRegistry;
  calls: CallsService;
  tasks: TasksService;
  evals: EvalsService;
  /** Prices, for the cache savings in `/v1/usage`. */
  prices: PriceTable;
  /** With several API servers, the per-key rate limit is counted in Redis (`REDIS_URL`). */
  redis?: Redis;
};
