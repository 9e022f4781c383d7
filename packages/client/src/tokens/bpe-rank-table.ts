/**
 * A byte-pair encoding's ranks (token bytes → token id) in three typed arrays instead of
 * JavaScript strings and a `Map`.
 *
 * Hand-written because of memory: gpt-tokenizer keeps o200k's 200,000 tokens as strings in a
 * `Map` and in a 2.4 MB JavaScript module, which costs a process ~19 MB of live heap and ~55 MB
 * of resident memory once parsed (bench/evals.ts: the single largest cost of `reins eval run`).
 * The same table here is ~5 MB of typed arrays outside the JavaScript heap (token bytes, their
 * offsets and ranks, and an open-addressing hash), read from the `.tiktoken` file the library
 * ships: +17 MB of resident memory once loaded instead of +56 MB.
 */
export type BpeRankTable = {
  /** The rank (token id) of `bytes[start, end)`, or -1 when it is not a token. */
  rank(bytes: Uint8Array, start: number, end: number): number;
  readonly size: number;
};

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hash(bytes: Uint8Array, start: number, end: number): number {
  let value = FNV_OFFSET;
  for (let index = start; index < end; index++) value = Math.imul(value ^ bytes[index]!, FNV_PRIME);
  return value >>> 0;
}

/** Calls `line(start, space, end)` for each non-empty `<token> <rank>` line. */
function forEachLine(text: string, line: (start: number, space: number, end: number) => void): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const space = text.indexOf(' ', start);
      if (space <= start || space > end) throw new Error(`bad .tiktoken line at offset ${start}`);
      line(start, space, end);
    }
    start = end + 1;
  }
}

/**
 * Builds the table from a `.tiktoken` file: one `<base64 token bytes> <rank>` per line (the
 * format of OpenAI's tiktoken, shipped by gpt-tokenizer under `gpt-tokenizer/data/`).
 *
 * @example
 * const table = parseTiktokenRanks(readFileSync(path));
 * table.rank(new TextEncoder().encode('hello'), 0, 5); // 24912 in o200k_base
 */
export function parseTiktokenRanks(file: Uint8Array): BpeRankTable {
  // Two passes over the text, decoding straight into one buffer: no object per token survives.
  const text = Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString('latin1');
  let count = 0;
  let totalBytes = 0;
  forEachLine(text, (lineStart, space) => {
    count++;
    const base64 = space - lineStart;
    const padding = text[space - 1] === '=' ? (text[space - 2] === '=' ? 2 : 1) : 0;
    totalBytes += (base64 / 4) * 3 - padding;
  });
  const bytes = Buffer.alloc(totalBytes);
  const offsets = new Uint32Array(count + 1);
  const ranks = new Int32Array(count);
  let index = 0;
  forEachLine(text, (lineStart, space, lineEnd) => {
    const rank = Number(text.slice(space + 1, lineEnd));
    if (!Number.isInteger(rank)) throw new Error(`bad .tiktoken line ${index + 1}`);
    ranks[index] = rank;
    const written = bytes.write(text.slice(lineStart, space), offsets[index]!, 'base64');
    offsets[index + 1] = offsets[index]! + written;
    index++;
  });
  // A power of two at least twice the token count keeps probe sequences short.
  let capacity = 1;
  while (capacity < count * 2) capacity *= 2;
  const mask = capacity - 1;
  // Slot → token index + 1 (0 = empty).
  const slots = new Int32Array(capacity);
  for (let token = 0; token < count; token++) {
    let slot = hash(bytes, offsets[token]!, offsets[token + 1]!) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = token + 1;
  }

  return {
    size: count,
    rank(key, start, end) {
      const length = end - start;
      let slot = hash(key, start, end) & mask;
      for (;;) {
        const entry = slots[slot]!;
        if (entry === 0) return -1;
        const from = offsets[entry - 1]!;
        if (offsets[entry]! - from === length) {
          let same = true;
          for (let offset = 0; offset < length; offset++) {
            if (bytes[from + offset] !== key[start + offset]) {
              same = false;
              break;
            }
          }
          if (same) return ranks[entry - 1]!;
        }
        slot = (slot + 1) & mask;
      }
    },
  };
}
