import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { EnvSchema, SECRET_VARIABLES } from './env-schema.ts';

/** True when `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The server's one validated configuration, parsed once at start-up from the environment.
 * Its type is inferred from the schema, so a new setting is added in one place.
 */
export const ConfigSchema = EnvSchema.superRefine((env, context) => {
  const open = !isLoopbackHost(env.REINS_HOST);
  if (open && (env.REINS_API_KEYS ?? []).length === 0 && !env.REINS_ALLOW_ANONYMOUS) {
    context.addIssue({
      code: 'custom',
      path: ['REINS_API_KEYS'],
      message: `required when REINS_HOST (${env.REINS_HOST}) is not a loopback address; set REINS_ALLOW_ANONYMOUS=true to serve without keys on purpose`,
    });
  }
}).transform((env) => ({
  port: env.REINS_PORT,
  host: env.REINS_HOST,
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  providers: {
    openai: env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL } : undefined,
    anthropic: env.ANTHROPIC_API_KEY
      ? { apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL }
      : undefined,
  },
  /** No provider key: the in-process simulator answers as both providers. */
  simulated: !env.OPENAI_API_KEY && !env.ANTHROPIC_API_KEY,
  simulatorProfile: env.REINS_SIMULATOR_PROFILE,
  auth: {
    apiKeys: env.REINS_API_KEYS ?? [],
    /** Keys, once configured, are always required, also on localhost. */
    required: (env.REINS_API_KEYS ?? []).length > 0,
  },
  budgets: { perKeyDailyUsd: env.REINS_KEY_BUDGET_USD },
  rateLimit: { perMinute: env.REINS_RATE_LIMIT_PER_MINUTE },
  cors: { origins: parseOrigins(env.REINS_CORS_ORIGINS) },
  bodyLimitBytes: env.REINS_BODY_LIMIT_BYTES,
  queue: {
    concurrency: env.REINS_QUEUE_CONCURRENCY,
    prefix: env.REINS_QUEUE_PREFIX,
    timeoutMs: env.REINS_TASK_TIMEOUT_MS,
    maxAttempts: env.REINS_TASK_MAX_ATTEMPTS,
    /** A running task's lease (in-process) or BullMQ lock: a dead process's tasks recover after it. */
    leaseMs: env.REINS_TASK_LEASE_MS,
    ttlMs: Math.round(env.REINS_TASK_TTL_HOURS * 3_600_000),
  },
  promptsDir: env.REINS_PROMPTS_DIR,
  defaultModel: env.REINS_DEFAULT_MODEL,
  logLevel: env.REINS_LOG_LEVEL,
  trustProxy: env.REINS_TRUST_PROXY,
  shutdownGraceMs: env.REINS_SHUTDOWN_GRACE_MS,
  /**
   * With `REDIS_URL`: the client's per-model rate-limit buckets and circuit breakers live in Redis,
   * shared by the server and every worker (`REINS_SHARED_LIMITS=false` keeps them per process).
   */
  sharedResilience: env.REDIS_URL !== undefined && env.REINS_SHARED_LIMITS,
}));

export type Config = z.output<typeof ConfigSchema>;

function parseOrigins(value: string | undefined): string[] | '*' | false {
  if (value === undefined || value === '') return false;
  if (value === '*') return '*';
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

export type LoadConfigOptions = {
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Where `.env` is looked for; defaults to `process.cwd()`. Pass `false` to skip `.env`. */
  dotenvDir?: string | false;
};

/**
 * Reads the environment (and `.env`, whose values the real environment overrides), validates it
 * and returns the config, or throws a `ConfigError` naming every bad variable.
 *
 * @example
 * const config = loadConfig();
 * console.log(`listening on http://${config.host}:${config.port}`);
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const fromFile = options.dotenvDir === false ? {} : readDotenv(options.dotenvDir ?? process.cwd());
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...fromFile, ...(options.env ?? process.env) })) {
    if (value !== undefined && value.trim() !== '') merged[name] = value;
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const value = merged[variable];
      const shown =
        value === undefined || SECRET_VARIABLES.has(variable) ? '' : ` (got ${JSON.stringify(value)})`;
      return { variable, message: `${issue.message}${shown}` };
    }),
  );
}

function readDotenv(directory: string): Record<string, string> {
  const path = resolve(directory, '.env');
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}
