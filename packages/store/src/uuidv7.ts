import { randomFillSync } from 'node:crypto';

// One call to the system's random source per 256 ids instead of one per id.
const POOL_SIZE = 16 * 256;
const pool = new Uint8Array(POOL_SIZE);
let offset = POOL_SIZE;

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits, so ids sort by creation time.
 * The client generates the ids it records; this is for tests, benchmarks and tools.
 *
 * @example
 * uuidv7() // '0193a5c8-7e2f-7c3a-9b1d-4f5e6a7b8c9d'
 */
export function uuidv7(now: number = Date.now()): string {
  if (offset === POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.slice(offset, offset + 16);
  offset += 16;
  let time = now;
  for (let index = 5; index >= 0; index--) {
    bytes[index] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
