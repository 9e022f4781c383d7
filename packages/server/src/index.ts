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
export { createMetricsRegistry, type MetricsRegistry } from './metrics/metrics-registry.ts';
export { createServerMetrics, type ServerMetrics } from './metrics/server-metrics.ts';
export { createTestDeps } from './testing/create-test-deps.ts';
