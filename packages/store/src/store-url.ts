import { StoreUrlError } from './errors.ts';

export type StoreLocation =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; connectionString: string; schema: string | undefined };

/** The default store: one SQLite file under `./data/`. */
export const DEFAULT_STORE_URL = 'sqlite:./data/reins.db';

/**
 * Parses a store URL. `sqlite:<path>` (relative to the working directory), `sqlite::memory:`,
 * `sqlite:///abs/path` and `postgres://` / `postgresql://` URLs (a `schema` query parameter selects
 * a schema other than the user's default; it is removed before the URL reaches `pg`).
 *
 * @example
 * parseStoreUrl('sqlite:./data/reins.db') // { dialect: 'sqlite', path: './data/reins.db' }
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new StoreUrlError(url, 'no file path after sqlite:');
    return { dialect: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new StoreUrlError(url, 'not a valid URL');
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
      throw new StoreUrlError(url, `schema '${schema}' must be a plain identifier`);
    }
    parsed.searchParams.delete('schema');
    return { dialect: 'postgres', connectionString: parsed.toString(), schema };
  }
  throw new StoreUrlError(url, "expected 'sqlite:<path>', 'sqlite::memory:' or 'postgres://…'");
}
