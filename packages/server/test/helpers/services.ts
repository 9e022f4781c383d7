import { randomBytes } from 'node:crypto';
import pg from 'pg';

const required = process.env['REINS_REQUIRE_SERVICES'] === '1';

/** PostgreSQL URL for tests, or undefined (suite skipped) — unless REINS_REQUIRE_SERVICES=1, then it throws. */
export function postgresUrl(): string | undefined {
  const url = process.env['DATABASE_URL'];
  if (url?.startsWith('postgres')) return url;
  if (required) throw new Error('REINS_REQUIRE_SERVICES=1 but DATABASE_URL does not point at PostgreSQL');
  return undefined;
}

/** Redis URL for tests, or undefined (suite skipped) — unless REINS_REQUIRE_SERVICES=1, then it throws. */
export function redisUrl(): string | undefined {
  const url = process.env['REDIS_URL'];
  if (url !== undefined && url !== '') return url;
  if (required) throw new Error('REINS_REQUIRE_SERVICES=1 but REDIS_URL is not set');
  return undefined;
}

/** A unique lowercase suffix for schemas, queue prefixes and file names of one test run. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/**
 * The stores a suite runs against: SQLite in memory always, PostgreSQL (in a schema of its own)
 * when `DATABASE_URL` is set. `cleanup` drops the schema.
 */
export function storeTargets(): { targets: Array<{ name: string; url: string }>; cleanup(): Promise<void> } {
  const postgres = postgresUrl();
  const schema = uniqueName('reins_server');
  return {
    targets: [
      { name: 'sqlite', url: 'sqlite::memory:' },
      ...(postgres === undefined ? [] : [{ name: 'postgres', url: `${postgres}?schema=${schema}` }]),
    ],
    async cleanup() {
      if (postgres === undefined) return;
      const client = new pg.Client({ connectionString: postgres });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A store logger that drops everything (tests assert on state, not logs). */
export const silentStoreLogger = { warn() {}, error() {} };
