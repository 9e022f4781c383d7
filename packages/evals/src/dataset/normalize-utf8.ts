import { isUtf8 } from 'node:buffer';

/**
 * Stands in for each byte that is not valid UTF-8. A Unicode noncharacter, so it never occurs in
 * real text: a cell holding it had bad bytes, and the validator can name its row and column.
 */
export const INVALID_BYTE_MARK = '\uFDD0';
const MARK_BYTES = Buffer.from(INVALID_BYTE_MARK);

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);
const UTF16BE_BOM = Buffer.from([0xfe, 0xff]);

/**
 * Turns a file's bytes into valid UTF-8, streaming: drops a UTF-8 byte-order mark, transcodes
 * UTF-16 files that start with one (Excel's "Unicode text"), and replaces each invalid byte with
 * {@link INVALID_BYTE_MARK} rather than guessing, so a bad cell is reported instead of mangled.
 *
 * @example
 * for await (const chunk of normalizeUtf8(readSourceChunks(source))) parser.write(chunk);
 */
export async function* normalizeUtf8(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let head: Buffer = Buffer.alloc(0);
  let decide = true;
  let utf16: TextDecoder | undefined;
  let carry: Buffer = Buffer.alloc(0);
  const process = (bytes: Buffer): Buffer => {
    if (utf16 !== undefined) return Buffer.from(utf16.decode(bytes, { stream: true }));
    const data = carry.length === 0 ? bytes : Buffer.concat([carry, bytes]);
    const cut = incompleteTailStart(data);
    carry = Buffer.from(data.subarray(cut));
    return repairUtf8(data.subarray(0, cut));
  };
  for await (const chunk of chunks) {
    let bytes: Buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (decide) {
      head = head.length === 0 ? bytes : Buffer.concat([head, bytes]);
      if (head.length < 3) continue;
      decide = false;
      bytes = startOfText(head);
      utf16 = encodingFromBom(head);
    }
    const out = process(bytes);
    if (out.length > 0) yield out;
  }
  if (decide && head.length > 0) {
    utf16 = encodingFromBom(head);
    const out = process(startOfText(head));
    if (out.length > 0) yield out;
  }
  if (utf16 !== undefined) {
    const rest = utf16.decode();
    if (rest.length > 0) yield Buffer.from(rest);
  } else if (carry.length > 0) {
    // A multi-byte character cut off by the end of the file.
    yield repairUtf8(carry);
  }
}

function encodingFromBom(head: Buffer): TextDecoder | undefined {
  if (startsWith(head, UTF16LE_BOM)) return new TextDecoder('utf-16le');
  if (startsWith(head, UTF16BE_BOM)) return new TextDecoder('utf-16be');
  return undefined;
}

function startOfText(head: Buffer): Buffer {
  if (startsWith(head, UTF8_BOM)) return head.subarray(UTF8_BOM.length);
  if (startsWith(head, UTF16LE_BOM) || startsWith(head, UTF16BE_BOM)) return head.subarray(2);
  return head;
}

function startsWith(data: Buffer, prefix: Buffer): boolean {
  return data.length >= prefix.length && data.subarray(0, prefix.length).equals(prefix);
}

/** Where a multi-byte sequence begins that the chunk ends before finishing, or `data.length`. */
function incompleteTailStart(data: Buffer): number {
  for (let back = 1; back <= 3 && back <= data.length; back++) {
    const byte = data[data.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = sequenceLength(byte);
    return length > back ? data.length - back : data.length;
  }
  return data.length;
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function repairUtf8(data: Buffer): Buffer {
  if (isUtf8(data)) return data;
  const pieces: Buffer[] = [];
  let start = 0;
  let index = 0;
  while (index < data.length) {
    const length = sequenceLength(data[index]!);
    if (length > 0 && index + length <= data.length && isUtf8(data.subarray(index, index + length))) {
      index += length;
      continue;
    }
    pieces.push(data.subarray(start, index), MARK_BYTES);
    index += 1;
    start = index;
  }
  pieces.push(data.subarray(start));
  return Buffer.concat(pieces);
}
