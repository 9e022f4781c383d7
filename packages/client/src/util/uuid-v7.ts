import { randomFillSync } from 'node:crypto';

const pool = new Uint8Array(4096);
let poolOffset = pool.length;
let lastMs = -1;
let sequence = 0;

function randomBytes(count: number): Uint8Array {
  if (poolOffset + count > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + count);
  poolOffset += count;
  return bytes;
}

const HEX = Array.from({ length: 256 }, (_, index) => index.toString(16).padStart(2, '0'));

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids made in
 * the same millisecond in order, then random bits. Ids sort by creation time, which makes the
 * call log's primary key index-friendly.
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
  const random = randomBytes(8);
  const bytes = new Uint8Array(16);
  // 48-bit big-endian timestamp; split because bitwise operators are 32-bit.
  const high = Math.floor(ms / 0x10000);
  bytes[0] = (high >>> 24) & 0xff;
  bytes[1] = (high >>> 16) & 0xff;
  bytes[2] = (high >>> 8) & 0xff;
  bytes[3] = high & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((sequence >>> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (random[0]! & 0x3f);
  bytes.set(random.subarray(1, 8), 9);
  let text = '';
  for (let index = 0; index < 16; index++) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text += '-';
    text += HEX[bytes[index]!];
  }
  return text;
}
