import { type CallSink, createClient, type LLMClient, type ProviderConfig } from '@reins/client';
import { createEvalsService, type EvalsService } from '@reins/evals';
import { createPromptRegistry, type PromptRegistry } from '@reins/prompts';
import { type Simulator, startSimulator } from '@reins/simulator';
import { openStore, type Store } from '@reins/store';
import type { FastifyBaseLogger } from 'fastify';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config/config.ts';
import { type CallLineJoin, createCallLineJoin } from './http/call-line-join.ts';
import { type IdGenerator, uuidv7Ids } from './ids.ts';
import { createMetricsSink } from './metrics/metrics-sink.ts';
import { createServerMetrics, type MetricsSources, type ServerMetrics } from './metrics/server-metrics.ts';
import { evalTaskKind } from './queue/eval-task-kind.ts';
import { createTaskKinds } from './queue/task-kinds.ts';
import type { TaskKinds } from './queue/task-queue.ts';
import { createSharedResilience, type SharedResilience } from './redis/shared-resilience.ts';
import { type BudgetGuard, createBudgetGuard } from './services/budget-guard.ts';
import { evalFolders } from './services/eval-folders.ts';
import { createLlmService, type LlmService } from './services/llm-service.ts';

export type RuntimeOptions = {
  clock?: Clock;
  ids?: IdGenerator;
  /** pino; `undefined` keeps everything silent (tests). */
  logger?: FastifyBaseLogger;
  /** Scales the simulator's realistic waits (tests use small values). */
  simulatorLatencyScale?: number;
  /** Lazily read by the metrics at scrape time. */
  metricsSources?: MetricsSources;
  /** Replaces the task kinds (tests of the queue wiring). */
  kinds?: (llm: LlmService) => TaskKinds;
};

/**
 * What both `reins serve` and `reins worker` run on: the store, the simulator (when no provider
 * key is set), the client writing to the call log and metrics, the prompt registry, the LLM
 * service and the task kinds.
 */
export type Runtime = {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  logger: FastifyBaseLogger | undefined;
  store: Store;
  simulator: Simulator | undefined;
  client: LLMClient;
  prompts: PromptRegistry;
  llm: LlmService;
  /** Eval runs: the `eval` task kind and the `/v1/evals` routes. */
  evals: EvalsService;
  budget: BudgetGuard;
  kinds: TaskKinds;
  metrics: ServerMetrics;
  /** The client's logger holds a request's call line for the request line; `undefined` when silent. */
  callLines: CallLineJoin | undefined;
  /** Flushes the call log and closes the store and the simulator. */
  close(): Promise<void>;
};

/**
 * Marks every record with whether the simulator answered, then hands it to `sink`. The record
 * is the client's fresh object for this attempt, so it is marked in place rather than copied.
 */
function markSimulated(sink: CallSink, simulated: boolean): CallSink {
  return {
    write: (record) => {
      record.simulated = simulated;
      sink.write(record);
    },
    ...(sink.flush === undefined ? {} : { flush: () => sink.flush!() }),
  };
}

/**
 * Builds the runtime from a validated config.
 *
 * @example
 * const runtime = await createRuntime(loadConfig(), { logger });
 * const answer = await runtime.llm.generate({ prompt: 'Hi' }, { owner: 'local', traceId });
 * await runtime.close();
 */
export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidv7Ids(() => clock.now());
  const logger = options.logger;
  const secrets = config.auth.apiKeys.map((entry) => entry.key);
  const store = await openStore({
    url: config.databaseUrl,
    secrets,
    logger: logger ?? { warn() {}, error() {} },
    now: () => new Date(clock.now()),
  });
  let simulator: Simulator | undefined;
  let shared: SharedResilience | undefined;
  try {
    const providers: Record<string, ProviderConfig> = {};
    if (config.simulated) {
      simulator = await startSimulator({
        port: 0,
        profile: config.simulatorProfile,
        ...(options.simulatorLatencyScale === undefined
          ? {}
          : { latencyScale: options.simulatorLatencyScale }),
      });
      providers['openai'] = { type: 'openai', apiKey: 'sk-reins-simulator', baseURL: `${simulator.url}/v1` };
      providers['anthropic'] = {
        type: 'anthropic',
        apiKey: 'sk-ant-reins-simulator',
        baseURL: simulator.url,
      };
    } else {
      const { openai, anthropic } = config.providers;
      if (openai !== undefined) {
        providers['openai'] = {
          type: 'openai',
          apiKey: openai.apiKey,
          ...(openai.baseURL ? { baseURL: openai.baseURL } : {}),
        };
      }
      if (anthropic !== undefined) {
        providers['anthropic'] = {
          type: 'anthropic',
          apiKey: anthropic.apiKey,
          ...(anthropic.baseURL ? { baseURL: anthropic.baseURL } : {}),
        };
      }
    }
    const metrics = createServerMetrics(options.metricsSources);
    const callLines = logger === undefined ? undefined : createCallLineJoin(logger);
    if (config.sharedResilience && config.redisUrl !== undefined) {
      const fallbacks = metrics.registry.counter(
        'reins_shared_state_fallbacks_total',
        'Limiter and breaker calls served from process memory because Redis was unavailable, by store.',
      );
      shared = await createSharedResilience({
        redisUrl: config.redisUrl,
        prefix: config.queue.prefix,
        providers,
        logger,
        onFallback: (store) => fallbacks.inc({ store }),
      });
    }
    const client = createClient({
      providers,
      defaults: { model: config.defaultModel },
      logger: callLines?.logger ?? false,
      // One line per normal call: a call answered at its first attempt is its `llm.call` line.
      logAttempts: 'retried',
      sinks: [markSimulated(store.sink(), config.simulated), createMetricsSink(metrics)],
      secrets,
      wallClock: () => clock.now(),
      ...(shared === undefined
        ? {}
        : { limiter: { store: shared.limiter }, breaker: { store: shared.breaker } }),
    });
    const prompts = createPromptRegistry({ dir: config.promptsDir });
    const budget = createBudgetGuard({ store, clock, dailyUsd: config.budgets.perKeyDailyUsd });
    const llm = createLlmService({
      client,
      prompts,
      providers: Object.keys(providers),
      defaultModel: config.defaultModel,
      simulated: config.simulated,
      budget,
    });
    const evals = createEvalsService({
      deps: { client, prompts, store, now: () => new Date(clock.now()), generateId: () => ids.next() },
      ...evalFolders(config),
    });
    const kinds = { eval: evalTaskKind(evals), ...(options.kinds ?? createTaskKinds)(llm) };
    return {
      config,
      clock,
      ids,
      logger,
      store,
      simulator,
      client,
      prompts,
      llm,
      evals,
      budget,
      kinds,
      metrics,
      callLines,
      async close() {
        await store.close();
        await simulator?.close();
        await shared?.close();
      },
    };
  } catch (error) {
    await store.close().catch(() => {});
    await simulator?.close().catch(() => {});
    await shared?.close().catch(() => {});
    throw error;
  }
}
