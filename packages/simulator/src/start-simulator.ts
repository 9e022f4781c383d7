import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultPlan } from './fault-plan.ts';
import { createRequestHandler } from './handle-request.ts';
import { createLatencyProfile } from './latency-profile.ts';
import { createModelTable, type ModelSpec } from './model-table.ts';
import { parseFaultRates } from './parse-fault-rates.ts';
import { createPromptCache } from './prompt-cache.ts';
import { createRateLimiter, type RateLimits } from './rate-limiter.ts';
import type { SimulatorContext } from './simulator-context.ts';
import { createStats, type SimulatorStats } from './stats.ts';

export interface SimulatorOptions {
  /** 0 picks a free port (the default). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** `instant` (default) never waits; `realistic` waits per-model TTFT and tokens/s. */
  profile?: 'instant' | 'realistic';
  /** Multiplies every realistic wait; 0.01 makes realistic-profile tests fast. Default 1. */
  latencyScale?: number;
  /** Fault rates for requests without `x-sim-faults`, e.g. `429:0.05,529:0.02,cut:0.02`. */
  faults?: string;
  /** Seed of the rate-fault draws. Default 1. */
  seed?: number;
  /** Accepted API keys (both providers). Default: any non-empty key. */
  keys?: string[];
  /** Per API key: `{ rpm, tpm }` for every model, or by model id (`'*'` for the rest). Default unlimited. */
  rateLimits?: RateLimits;
  /** Extra models, or overrides of built-in ones by id. */
  models?: ModelSpec[];
  /** The clock for prompt-cache TTLs and rate-limit buckets. Default `Date.now`. */
  now?: () => number;
  /** The wait a `429` fault asks for, in `retry-after-ms` (and `retry-after` in seconds). Default 50. */
  retryAfterMs?: number;
}

export interface Simulator {
  /** `http://host:port`, without `/v1`. */
  url: string;
  port: number;
  stats(): SimulatorStats;
  /** Forgets stats, fault sequences, prompt caches and rate-limit buckets. */
  reset(): void;
  /** Stops listening and drops every connection, stalled ones included. */
  close(): Promise<void>;
}

/**
 * Starts the OpenAI + Anthropic wire-compatible simulator over real HTTP.
 *
 * @example
 * const simulator = await startSimulator({ port: 0 });
 * const openai = new OpenAI({ baseURL: `${simulator.url}/v1`, apiKey: 'sk-test' });
 * const anthropic = new Anthropic({ baseURL: simulator.url, apiKey: 'sk-ant-test' });
 * // …
 * await simulator.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const profile = options.profile ?? 'instant';
  if (profile !== 'instant' && profile !== 'realistic')
    throw new Error(`unknown profile '${profile}' (instant or realistic)`);
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const context: SimulatorContext = {
    models: createModelTable(options.models),
    faults: createFaultPlan(parseFaultRates(options.faults), seed),
    limiter: createRateLimiter(options.rateLimits, now),
    cache: createPromptCache(now),
    latency: createLatencyProfile(profile, options.latencyScale ?? 1),
    stats: createStats(),
    now,
    keys: options.keys ? new Set(options.keys) : undefined,
    retryAfterMs: options.retryAfterMs ?? 50,
  };
  const reset = () => {
    context.stats.reset();
    context.faults.reset();
    context.cache.reset();
    context.limiter.reset();
  };
  const server = createServer({ keepAlive: true }, createRequestHandler(context, reset));
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats: () => context.stats.snapshot(),
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
