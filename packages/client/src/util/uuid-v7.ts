import { randomFillSync } from 'node:crypto';

const pool = new Uint8Array(8192);
// The pool in hex, made once per refill: an id's last 12 digits are one substring of it.
let poolHex = '';
let poolOffset = pool.length;

const HEX = Array.from({ length: 256 }, (_, index) => index.toString(16).padStart(2, '0'));

/** The offset of 8 fresh random bytes in `pool` (and of their digits, times 2, in `poolHex`). */
function takeRandom8(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolHex = Buffer.from(pool.buffer, pool.byteOffset, pool.byteLength).toString('hex');
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += 8;
  return offset;
}

/**
 * A UUIDv7 minter with its own clock state: a 48-bit Unix millisecond, then a 12-bit counter
 * that keeps ids made in the same millisecond (or after the clock stepped back) in order, then
 * random bits from the shared pool. A minter of its own suits a caller with its own clock (the
 * server's ids take an injected clock, so tests get fixed times); `uuidv7` is the shared one.
 *
 * @example
 * const mint = uuidv7Minter();
 * mint(clock.now()) // '019a8c3e-7f21-7000-8c4f-3b1e9d2a6c10'
 */
export function uuidv7Minter(): (now?: number) => string {
  let lastMs = -1;
  let sequence = 0;
  let prefixMs = -1;
  let prefix = '';
  return (now = Date.now()) => {
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
    // Several ids share a millisecond under load: format its 48 bits once, from the hex table.
    // (`Number#toString(16)` of a 41-bit time is a slow runtime call, ~0.4 µs: the ms changes
    // between most ids of a call at a few thousand calls per second.)
    if (ms !== prefixMs) {
      const high = Math.floor(ms / 0x1_0000_0000);
      const low = ms >>> 0;
      prefix =
        `${HEX[(high >>> 8) & 0xff]}${HEX[high & 0xff]}${HEX[low >>> 24]}${HEX[(low >>> 16) & 0xff]}-` +
        `${HEX[(low >>> 8) & 0xff]}${HEX[low & 0xff]}-`;
      prefixMs = ms;
    }
    // Few pieces: each concatenation is an allocation, and the id is flattened when first used.
    const random = takeRandom8();
    return (
      `${prefix}${HEX[0x70 | (sequence >>> 8)]}${HEX[sequence & 0xff]}-` +
      `${HEX[0x80 | (pool[random]! & 0x3f)]}${HEX[pool[random + 1]!]}-` +
      poolHex.substring(2 * random + 4, 2 * random + 16)
    );
  };
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
export const uuidv7: (now?: number) => string = uuidv7Minter();
