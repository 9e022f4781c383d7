import { randomFillSync } from 'node:crypto';

const pool = new Uint8Array(8192);
let poolOffset = pool.length;
let lastMs = -1;
let sequence = 0;
let prefixMs = -1;
let prefix = '';

const HEX = Array.from({ length: 256 }, (_, index) => index.toString(16).padStart(2, '0'));

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids made in
 * the same millisecond in order, then random bits. Ids sort by creation time, which makes the
 * call log's primary key index-friendly. Random bytes come from a pooled buffer: this runs
 * twice per call.
 *
 * @example
 * uuidv7() // '019a8c3e-7f21-7000-8c4f-3b1e9d2a6c10'
 */
export function uuidv7(now: number = Date.now()): string {
  let ms = Math.floor(now);
  if (ms <= lastMs) {
    sequence += 1;
    if (sequence > 0xfff) {
      // Counter exhausted within one millisecond: borrow the next millisecond.
      lastMs += 1;
      sequence = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    sequence = 0;
  }
  // Several ids share a millisecond under load: format its 48 bits once.
  if (ms !== prefixMs) {
    const time = ms.toString(16).padStart(12, '0');
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-`;
    prefixMs = ms;
  }
  return (
    `${prefix}${(0x7000 | sequence).toString(16)}-` +
    `${HEX[0x80 | (randomByte() & 0x3f)]}${HEX[randomByte()]}-` +
    `${HEX[randomByte()]}${HEX[randomByte()]}${HEX[randomByte()]}${HEX[randomByte()]}${HEX[randomByte()]}${HEX[randomByte()]}`
  );
}
