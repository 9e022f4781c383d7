import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type OpenStoreOptions, openStore, type Store } from '../../src/index.ts';

/**
 * The databases every store suite runs on. PostgreSQL joins when DATABASE_URL points at one;
 * with REINS_REQUIRE_SERVICES=1 a missing URL fails the run instead of skipping, and an
 * unreachable server fails the PostgreSQL tests (openStore rejects).
 */
export const postgresUrl = process.env['DATABASE_URL']?.startsWith('postgres')
  ? process.env['DATABASE_URL']
  : undefined;
if (postgresUrl === undefined && process.env['REINS_REQUIRE_SERVICES'] === '1') {
  throw new Error('REINS_REQUIRE_SERVICES=1 but DATABASE_URL does not point at PostgreSQL');
}

export const quietLogger = { warn() {}, error() {} };

export type Backend = {
  name: string;
  /** False for :memory:, whose data dies with the store. */
  persistent: boolean;
  /** A URL for this test's own database (a fresh SQLite file, or a fresh PostgreSQL schema). */
  freshUrl(): string;
  /** Drops every database freshUrl created. */
  cleanup(): Promise<void>;
};

function sqliteFileBackend(): Backend {
  let folder: string | undefined;
  let count = 0;
  return {
    name: 'sqlite file',
    persistent: true,
    freshUrl: () => {
      folder ??= mkdtempSync(join(tmpdir(), 'reins-store-test-'));
      return `sqlite:${join(folder, `db-${++count}`, 'reins.db')}`;
    },
    cleanup: async () => {
      if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    },
  };
}

function sqliteMemoryBackend(): Backend {
  return {
    name: 'sqlite :memory:',
    persistent: false,
    freshUrl: () => 'sqlite::memory:',
    cleanup: async () => {},
  };
}

function postgresBackend(url: string): Backend {
  const run = randomBytes(4).toString('hex');
  const schemas: string[] = [];
  return {
    name: 'postgres',
    persistent: true,
    freshUrl: () => {
      const schema = `reins_store_test_${run}_${schemas.length + 1}`;
      schemas.push(schema);
      return `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;
    },
    cleanup: async () => {
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

export function backends(): Backend[] {
  return [
    sqliteFileBackend(),
    sqliteMemoryBackend(),
    ...(postgresUrl !== undefined ? [postgresBackend(postgresUrl)] : []),
  ];
}

/** Opens a store quietly; the options win. */
export function open(url: string, options: Partial<OpenStoreOptions> = {}): Promise<Store> {
  return openStore({ url, logger: quietLogger, env: {}, ...options });
}

/** The SQLite file behind a `sqlite:` URL. */
export function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length);
}
