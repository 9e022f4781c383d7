import { uuidv7Minter } from '@reins/client';

/**
 * Generates identifiers: tasks, request trace ids. Injected so tests get predictable ids.
 *
 * @example
 * const ids = uuidv7Ids();
 * const taskId = ids.next();
 */
export type IdGenerator = { next(): string };

/**
 * UUIDv7 (RFC 9562): time-ordered, so ids sort by creation time in the store's indexes.
 * Ids minted within one millisecond stay ordered through a 12-bit counter in `rand_a`. The client's
 * minter (pooled random bits, the millisecond formatted once), with its own state for this clock.
 */
export function uuidv7Ids(now: () => number = Date.now): IdGenerator {
  const mint = uuidv7Minter();
  return { next: () => mint(now()) };
}

/**
 * `prefix-1`, `prefix-2`, …: readable ids for tests.
 *
 * @example
 * const ids = sequentialIds('task');
 * ids.next(); // 'task-1'
 */
export function sequentialIds(prefix = 'id'): IdGenerator {
  let n = 0;
  return {
    next: () => {
      n += 1;
      return `${prefix}-${n}`;
    },
  };
}
