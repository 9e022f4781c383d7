import type { Kysely } from 'kysely';
import type { StoreDialect } from '../schema.ts';

/**
 * A schema change, applied once per database in name order. `up` receives the dialect so a
 * migration can pick a column type where SQLite and PostgreSQL differ; everything else goes
 * through Kysely's schema builder and works on both.
 */
export type StoreMigration = {
  /** `NNNN_snake_case`; names sort in the order they must run. Never rename a shipped one. */
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, not today's type.
  up(db: Kysely<any>, dialect: StoreDialect): Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  down?(db: Kysely<any>, dialect: StoreDialect): Promise<void>;
};
