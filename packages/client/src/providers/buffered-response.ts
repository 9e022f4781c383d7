/** undici's response header record: lower-case names, repeated headers as arrays. */
export type RawHeaders = Record<string, string | string[] | undefined>;

type PairIterator = ReturnType<Headers['entries']>;
type NameIterator = ReturnType<Headers['keys']>;

const decoder = new TextDecoder();

function immutable(): never {
  throw new TypeError('immutable');
}

// The names of the last record sorted, and that order: one endpoint answers with the same names
// in the same order every time, so the order is reused instead of sorted again per answer.
let lastNames: string[] = [];
let lastSorted: readonly string[] = [];

/** `names` sorted as `Array#sort` does (by UTF-16 code units). */
function sortedNames(names: string[]): readonly string[] {
  if (names.length === lastNames.length) {
    let same = true;
    for (let index = 0; same && index < names.length; index++) same = names[index] === lastNames[index];
    if (same) return lastSorted;
  }
  lastNames = names;
  lastSorted = [...names].sort();
  return lastSorted;
}

/**
 * The headers of a response, read in place from undici's header record instead of copied into a
 * `Headers` list: a fetch `Headers` validates and stores every header on construction and sorts
 * them again for iteration, which the SDKs do on every answer (to find `x-request-id`) and which
 * cost several times the lookups they then make. A real `Headers` subclass (`instanceof Headers`
 * holds) with the fetch semantics callers use: case-insensitive lookup, repeated values joined by
 * `, ` except `set-cookie` (`getSetCookie()`), iteration sorted by name, and immutable like a
 * fetch response's headers.
 *
 * @example
 * new RecordHeaders({ 'retry-after': '2' }).get('Retry-After'); // '2'
 */
export class RecordHeaders extends Headers {
  readonly #raw: RawHeaders;
  #sorted: Array<[string, string]> | undefined;

  constructor(raw: RawHeaders) {
    super();
    this.#raw = raw;
  }

  override get(name: string): string | null {
    const value = this.#value(name);
    if (value === undefined) return null;
    return typeof value === 'string' ? value : value.join(', ');
  }

  override has(name: string): boolean {
    return this.#value(name) !== undefined;
  }

  /**
   * The record's value for a name in any case. undici's names are lower-case, and so are most names
   * asked for: a present one is found without lower-casing it first. Only strings and arrays count:
   * the record is a plain object, so `constructor` or `toString` would otherwise find
   * `Object.prototype`'s functions. A name already in lower case is not looked up twice: most
   * names asked for are absent (the rate-limit headers of other providers), and a lookup that
   * misses costs several times one that hits.
   */
  #value(name: string): string | string[] | undefined {
    const raw = this.#raw;
    let value = raw[name];
    if (value === undefined || value === null) {
      const lower = name.toLowerCase();
      if (lower !== name) value = raw[lower];
    }
    return typeof value === 'string' || Array.isArray(value) ? value : undefined;
  }

  override getSetCookie(): string[] {
    const value = this.#raw['set-cookie'];
    return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
  }

  override set(_name: string, _value: string): void {
    immutable();
  }

  override append(_name: string, _value: string): void {
    immutable();
  }

  override delete(_name: string): void {
    immutable();
  }

  override forEach(
    callback: (value: string, name: string, parent: Headers) => void,
    thisArg?: unknown,
  ): void {
    for (const [name, value] of this.#pairs()) callback.call(thisArg, value, name, this);
  }

  override entries(): PairIterator {
    // Fresh pairs: a caller may keep or change what it iterated; the sorted list stays intact.
    return this.#pairs()
      .map(([name, value]) => [name, value])
      [Symbol.iterator]() as unknown as PairIterator;
  }

  override keys(): NameIterator {
    return this.#pairs()
      .map(([name]) => name)
      [Symbol.iterator]() as unknown as NameIterator;
  }

  override values(): NameIterator {
    return this.#pairs()
      .map(([, value]) => value)
      [Symbol.iterator]() as unknown as NameIterator;
  }

  override [Symbol.iterator](): PairIterator {
    return this.entries();
  }

  /**
   * Sorted once: the OpenAI SDK iterates every answer's headers twice (for its log details, even
   * with logging off). Never handed out as is (`entries` copies the pairs).
   */
  #pairs(): Array<[string, string]> {
    this.#sorted ??= this.#sortedPairs();
    return this.#sorted;
  }

  #sortedPairs(): Array<[string, string]> {
    const pairs: Array<[string, string]> = [];
    for (const name of sortedNames(Object.keys(this.#raw))) {
      const value = this.#raw[name];
      if (value === undefined) continue;
      if (name === 'set-cookie' && typeof value !== 'string')
        for (const item of value) pairs.push([name, item]);
      else pairs.push([name, typeof value === 'string' ? value : value.join(', ')]);
    }
    return pairs;
  }
}

/**
 * A `Response` whose body has already been read whole into memory (a JSON answer), and whose
 * headers are a `RecordHeaders` over undici's record. Building a fetch `Response` around the bytes
 * costs a web stream and a header list per answer, only for `text()` to read the stream back: here
 * `text()`/`json()`/`arrayBuffer()`/`bytes()`/`blob()` decode the bytes directly, and `body` makes
 * the stream only when someone asks for it. A real `Response` subclass: status, `ok`, `statusText`,
 * `bodyUsed`, single use of the body (a second read rejects with `TypeError`) and `clone()` behave as
 * fetch's do.
 *
 * @example
 * const response = new BufferedResponse(bytes, { status: 200, statusText: 'OK', headers: raw });
 * const data = await response.json();
 */
export class BufferedResponse extends Response {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  readonly #raw: RawHeaders;
  readonly #headers: RecordHeaders;
  #used = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;

  constructor(
    bytes: Uint8Array<ArrayBuffer>,
    init: { status: number; statusText: string; headers: RawHeaders },
  ) {
    super(null, { status: init.status, statusText: init.statusText });
    this.#bytes = bytes;
    this.#raw = init.headers;
    this.#headers = new RecordHeaders(init.headers);
  }

  override get headers(): Headers {
    return this.#headers;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  /** The bytes as a one-chunk stream, made on first access; reading it uses the body up. */
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    this.#stream ??= new ReadableStream<Uint8Array<ArrayBuffer>>(
      {
        pull: (controller) => {
          if (!this.#used) {
            this.#used = true;
            controller.enqueue(this.#bytes);
          }
          controller.close();
        },
        // Nothing is pulled until someone reads: merely looking at `body` (the SDKs hand it to a
        // FinalizationRegistry) leaves the body unused.
      },
      { highWaterMark: 0 },
    );
    return this.#stream;
  }

  override async text(): Promise<string> {
    return decoder.decode(this.#take());
  }

  override async json(): Promise<unknown> {
    return JSON.parse(decoder.decode(this.#take()));
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], { type: this.#headers.get('content-type') ?? '' });
  }

  override async formData(): Promise<FormData> {
    return new Response(await this.arrayBuffer(), { headers: this.#headers }).formData();
  }

  override clone(): Response {
    if (this.#used || this.#stream?.locked)
      throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.#bytes, {
      status: this.status,
      statusText: this.statusText,
      headers: this.#raw,
    });
  }

  /** The body for one read: a second read, or one after the stream was taken, rejects as fetch's does. */
  #take(): Uint8Array<ArrayBuffer> {
    if (this.#used || this.#stream?.locked)
      throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes;
  }
}
