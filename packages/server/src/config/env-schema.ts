import { z } from 'zod';
import { parseApiKeys } from './api-keys.ts';
import { isPlaceholderSecret } from './is-placeholder-secret.ts';

function integer(min: number, max: number) {
  return z
    .string()
    .trim()
    .transform((value, context) => {
      const parsed = Number(value);
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
        context.addIssue({ code: 'custom', message: `expected an integer between ${min} and ${max}` });
        return z.NEVER;
      }
      return parsed;
    });
}

function positiveNumber() {
  return z
    .string()
    .trim()
    .transform((value, context) => {
      const parsed = Number(value);
      if (value === '' || !Number.isFinite(parsed) || parsed <= 0) {
        context.addIssue({ code: 'custom', message: 'expected a number greater than 0' });
        return z.NEVER;
      }
      return parsed;
    });
}

function boolean() {
  return z
    .string()
    .trim()
    .toLowerCase()
    .transform((value, context) => {
      if (['1', 'true', 'yes', 'on'].includes(value)) return true;
      if (['0', 'false', 'no', 'off'].includes(value)) return false;
      context.addIssue({ code: 'custom', message: 'expected true or false' });
      return z.NEVER;
    });
}

function secret() {
  return z
    .string()
    .trim()
    .refine(
      (value) => !isPlaceholderSecret(value),
      'is a placeholder, not a real secret; set the real value or unset it',
    );
}

function url(protocols: string[]) {
  return z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `expected a URL starting with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}`,
    );
}

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (value) => value.startsWith('sqlite:') || /^postgres(ql)?:\/\/.+/.test(value),
    'expected sqlite:<path>, sqlite::memory: or postgres://user@host:port/database',
  );

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every environment variable the server reads, by its own name, so a Zod issue's path is the
 * variable to fix. Values arrive as strings (empty strings are treated as unset).
 */
export const EnvSchema = z.object({
  REINS_PORT: integer(0, 65_535).default(8000),
  REINS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl.default('sqlite:./data/reins.db'),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  OPENAI_API_KEY: secret().optional(),
  OPENAI_BASE_URL: url(['http:', 'https:']).optional(),
  ANTHROPIC_API_KEY: secret().optional(),
  ANTHROPIC_BASE_URL: url(['http:', 'https:']).optional(),
  REINS_API_KEYS: z
    .string()
    .transform((value, context) => {
      const parsed = parseApiKeys(value);
      if ('error' in parsed) {
        context.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed;
    })
    .optional(),
  REINS_ALLOW_ANONYMOUS: boolean().default(false),
  REINS_KEY_BUDGET_USD: positiveNumber().optional(),
  REINS_RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).default(600),
  REINS_CORS_ORIGINS: z.string().trim().optional(),
  REINS_BODY_LIMIT_BYTES: integer(1_024, 100 * 1_048_576).default(1_048_576),
  REINS_QUEUE_CONCURRENCY: integer(1, 1_000).default(4),
  REINS_QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 characters of A-Z a-z 0-9 _ -')
    .default('reins'),
  REINS_TASK_TIMEOUT_MS: integer(100, 24 * 3_600_000).default(600_000),
  REINS_TASK_MAX_ATTEMPTS: integer(1, 100).default(3),
  REINS_TASK_LEASE_MS: integer(500, 3_600_000).default(30_000),
  REINS_TASK_TTL_HOURS: positiveNumber().default(168),
  REINS_PROMPTS_DIR: z.string().trim().min(1).default('./prompts'),
  REINS_DEFAULT_MODEL: z
    .string()
    .trim()
    .regex(/^[a-z0-9_-]+\/\S+$/i, 'expected provider/model, for example openai/gpt-5.6-luna')
    .default('openai/gpt-5.6-luna'),
  REINS_SIMULATOR_PROFILE: z.enum(['instant', 'realistic']).default('realistic'),
  REINS_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  REINS_TRUST_PROXY: boolean().default(false),
  REINS_SHUTDOWN_GRACE_MS: integer(0, 600_000).default(10_000),
  REINS_SHARED_LIMITS: boolean().default(true),
});

export type Env = z.output<typeof EnvSchema>;

/** Variables whose values never appear in an error message. */
export const SECRET_VARIABLES = new Set([
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'REINS_API_KEYS',
  'DATABASE_URL',
  'REDIS_URL',
]);
