export { API_VERSION, createApp } from './app.ts';
export { type Clock, manualClock, systemClock } from './clock.ts';
export { type ApiKey, parseApiKeys } from './config/api-keys.ts';
export {
  type Config,
  ConfigSchema,
  isLoopbackHost,
  type LoadConfigOptions,
  loadConfig,
} from './config/config.ts';
export { ConfigError, type ConfigIssue } from './config/config-error.ts';
export type { AppDeps, ReadinessCheck } from './deps.ts';
export { type FieldError, PROBLEM_CONTENT_TYPE, type Problem, ProblemSchema } from './errors/problem.ts';
export {
  BudgetSpentError,
  ConflictError,
  MissingVariablesError,
  NotFoundError,
  RateLimitedError,
  RequestValidationError,
  ServerError,
  UnauthorizedError,
  UnavailableError,
  UnknownModelError,
} from './errors/server-error.ts';
export { toProblem } from './errors/to-problem.ts';
export { type IdGenerator, sequentialIds, uuidv7Ids } from './ids.ts';
export { type GenerateBody, GenerateBodySchema } from './llm/generate-request.ts';
export { type GenerateResponse, GenerateResponseSchema } from './llm/generate-response.ts';
export { StructuredBodySchema, StructuredResponseSchema } from './llm/structured-request.ts';
export { createMetricsRegistry, type MetricsRegistry } from './metrics/metrics-registry.ts';
export { createServerMetrics, type ServerMetrics } from './metrics/server-metrics.ts';
export { type BullmqQueueOptions, createBullmqQueue } from './queue/bullmq-queue.ts';
export { type BullmqWorker, type BullmqWorkerOptions, createBullmqWorker } from './queue/bullmq-worker.ts';
export { TASK_QUEUE_NAME, TaskJobSchema } from './queue/contracts.ts';
export { createInProcessQueue, type InProcessQueueOptions } from './queue/in-process-queue.ts';
export { createTaskKinds } from './queue/task-kinds.ts';
export {
  defineTaskKind,
  type SubmitTask,
  type TaskContext,
  type TaskKind,
  type TaskKinds,
  type TaskQueue,
} from './queue/task-queue.ts';
export {
  failOpenBreakerStore,
  failOpenLimiterStore,
  type SharedStateHealth,
  sharedStateHealth,
} from './redis/fail-open-stores.ts';
export { createRedisBreakerStore, type RedisBreakerStoreOptions } from './redis/redis-breaker-store.ts';
export { createRedisLimiterStore, type RedisLimiterStoreOptions } from './redis/redis-limiter-store.ts';
export {
  createSharedResilience,
  type SharedResilience,
  type SharedResilienceOptions,
} from './redis/shared-resilience.ts';
export { createRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';
export { createServerDeps, type ServerDeps } from './server-deps.ts';
export { type CallContext, createLlmService, type LlmService } from './services/llm-service.ts';
export { type RunningServer, startServer } from './start-server.ts';
export { type RunningWorker, startWorker } from './start-worker.ts';
export { TaskCreateSchema, TaskPublicSchema, toTaskPublic } from './tasks/task.ts';
export { createTestDeps, EXAMPLE_PROMPTS_DIR, type TestDeps } from './testing/create-test-deps.ts';
