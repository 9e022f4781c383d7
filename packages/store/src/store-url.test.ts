import { describe, expect, it } from 'vitest';
import { StoreUrlError } from './errors.ts';
import { parseStoreUrl } from './store-url.ts';

describe('parseStoreUrl', () => {
  it('reads SQLite files, memory and PostgreSQL with an optional schema', () => {
    expect(parseStoreUrl('sqlite:./data/reins.db')).toEqual({ dialect: 'sqlite', path: './data/reins.db' });
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
    expect(parseStoreUrl('sqlite:///var/lib/reins.db')).toEqual({
      dialect: 'sqlite',
      path: '/var/lib/reins.db',
    });
    expect(parseStoreUrl('postgres://app:pw@db:5432/reins?schema=calls&sslmode=disable')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://app:pw@db:5432/reins?sslmode=disable',
      schema: 'calls',
    });
    expect(parseStoreUrl('postgresql://db/reins')).toMatchObject({ dialect: 'postgres', schema: undefined });
  });

  it('rejects other schemes and unsafe schema names without echoing the password', () => {
    expect(() => parseStoreUrl('mysql://db/x')).toThrow(StoreUrlError);
    expect(() => parseStoreUrl('sqlite:')).toThrow(/no file path/);
    let error: unknown;
    try {
      parseStoreUrl('postgres://app:hunter2@db/reins?schema=x;drop');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreUrlError);
    expect(String((error as Error).message)).toContain('plain identifier');
    expect(String((error as Error).message)).not.toContain('hunter2');
  });
});
