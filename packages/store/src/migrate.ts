import { sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import { StoreMigrationError } from './errors.ts';
import { migrations as defaultMigrations } from './migrations/index.ts';
import type { StoreMigration } from './migrations/store-migration.ts';
import type { StoreContext } from './schema.ts';

export const MIGRATION_TABLE = 'reins_migration';
export const MIGRATION_LOCK_TABLE = 'reins_migration_lock';

/**
 * Applies pending migrations with Kysely's `Migrator`. Safe to call from several processes at
 * once: PostgreSQL serialises on an advisory lock, SQLite on `BEGIN IMMEDIATE`.
 * Returns the names applied by this call (empty when the schema was already current).
 *
 * @example
 * await migrateToLatest({ db, dialect: 'sqlite' });
 */
export async function migrateToLatest(
  { db, dialect }: StoreContext,
  migrations: readonly StoreMigration[] = defaultMigrations,
): Promise<string[]> {
  // Without an explicit schema Kysely looks for its tables in *every* schema, so a migration
  // table in another schema (another app, another test run) would be mistaken for ours.
  const schema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
    provider: {
      getMigrations: async () =>
        Object.fromEntries(
          migrations.map((migration): [string, Migration] => [
            migration.name,
            {
              up: (database) => migration.up(database, dialect),
              ...(migration.down !== undefined
                ? { down: (database) => migration.down!(database, dialect) }
                : {}),
            },
          ]),
        ),
    },
  });
  let outcome = await migrator.migrateToLatest();
  // Kysely's setup lists the tables of every schema (`has_schema_privilege` per schema); another
  // schema dropped during that query fails it with "schema … does not exist" (seen when parallel
  // test files drop theirs). Nothing was applied: run it again.
  for (let retry = 0; retry < 3 && isVanishedSchemaError(outcome.error, schema); retry++) {
    outcome = await migrator.migrateToLatest();
  }
  const { error, results = [] } = outcome;
  if (error !== undefined) {
    throw new StoreMigrationError(results.find((result) => result.status === 'Error')?.migrationName, error);
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/**
 * PostgreSQL's "schema … does not exist" (3F000) about a schema that is not ours: a catalog
 * race with someone dropping theirs, not a problem with this store.
 *
 * @example
 * isVanishedSchemaError({ code: '3F000', message: 'schema "other" does not exist' }, 'mine') // true
 */
export function isVanishedSchemaError(error: unknown, ownSchema: string | undefined): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== '3F000' || typeof message !== 'string') return false;
  const named = /schema "([^"]+)" does not exist/.exec(message)?.[1];
  return named !== undefined && named !== ownSchema;
}
