import { randomBytes } from 'node:crypto';

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
 * Ids minted within one millisecond stay ordered through a 12-bit counter in `rand_a`.
 */
export function uuidv7Ids(now: () => number = Date.now): IdGenerator {
  let lastMs = -1;
  let counter = 0;
  return {
    next() {
      let ms = now();
      if (ms <= lastMs) {
        counter += 1;
        if (counter > 0xfff) {
          lastMs += 1;
          counter = 0;
        }
        ms = lastMs;
      } else {
        lastMs = ms;
        counter = 0;
      }
      const bytes = randomBytes(16);
      bytes.writeUIntBE(ms, 0, 6);
      bytes[6] = 0x70 | (counter >> 8);
      bytes[7] = counter & 0xff;
      bytes[8] = 0x80 | (bytes[8]! & 0x3f);
      const hex = bytes.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
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
