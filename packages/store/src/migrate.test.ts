import { describe, expect, it } from 'vitest';
import { isVanishedSchemaError } from './migrate.ts';

describe('isVanishedSchemaError', () => {
  it("retries only for another schema's 3F000, never for our own or other errors", () => {
    const vanished = { code: '3F000', message: 'schema "reins_shared_1_ab" does not exist' };
    expect(isVanishedSchemaError(vanished, 'reins_workers_2_cd')).toBe(true);
    expect(isVanishedSchemaError(vanished, 'reins_shared_1_ab')).toBe(false);
    expect(isVanishedSchemaError({ code: '42P01', message: 'relation "x" does not exist' }, 'mine')).toBe(
      false,
    );
    expect(isVanishedSchemaError({ code: '3F000', message: 'something else' }, 'mine')).toBe(false);
    expect(isVanishedSchemaError(undefined, 'mine')).toBe(false);
    expect(isVanishedSchemaError(new Error('schema "x" does not exist'), 'mine')).toBe(false);
  });
});
