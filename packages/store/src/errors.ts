const MARKER = Symbol.for('reins.store.error');

/**
 * Base class of every error `@reins/store` throws. `StoreError.isInstance` works across duplicate
 * copies of the package, where `instanceof` does not.
 *
 * @example
 * try { await openStore({ url }) } catch (error) { if (StoreError.isInstance(error)) … }
 */
export class StoreError extends Error {
  readonly [MARKER] = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }

  static isInstance(value: unknown): value is StoreError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** Hides the password of a `postgres://user:password@host` URL, for messages and logs. */
export function maskPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** The store URL is not one of `sqlite:<path>`, `sqlite::memory:` or `postgres://…`. */
export class StoreUrlError extends StoreError {
  readonly url: string;

  constructor(url: string, reason: string) {
    const shown = maskPassword(url);
    super(`invalid store url '${shown}': ${reason}`);
    this.name = 'StoreUrlError';
    this.url = shown;
  }
}

/** A migration failed; `migration` names it. The database is left at the last good migration. */
export class StoreMigrationError extends StoreError {
  readonly migration: string | undefined;

  constructor(migration: string | undefined, cause: unknown) {
    super(
      `migration ${migration ?? '(setup)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'StoreMigrationError';
    this.migration = migration;
  }
}

/**
 * `flush()` rejects with this when records it covers were lost: dropped because the writer's queue
 * was full, or not written after the insert was retried. `lost` counts them; each loss is reported
 * by exactly one flush and was already counted in the writer stats and logged.
 */
export class CallLogWriteError extends StoreError {
  readonly lost: number;

  constructor(lost: number, cause?: unknown) {
    super(`${lost} call log record(s) were not written`, cause === undefined ? undefined : { cause });
    this.name = 'CallLogWriteError';
    this.lost = lost;
  }
}

/** A call-log filter was malformed; `field` names the offending one (e.g. `since`). */
export class CallFilterError extends StoreError {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`invalid filter '${field}': ${message}`);
    this.name = 'CallFilterError';
    this.field = field;
  }
}
