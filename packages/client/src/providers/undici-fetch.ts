import { pipeline, Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import { BufferedResponse, type RawHeaders } from './buffered-response.ts';

export type UndiciFetchOptions = {
  /** Most sockets per origin (default: no limit, like the global fetch). */
  connections?: number;
  /** How long an idle keep-alive socket stays open, in milliseconds (default 4 000). */
  keepAliveTimeoutMs?: number;
  /** Injected for tests and custom pools; default one keep-alive `Agent` (a pool per origin). */
  dispatcher?: Dispatcher;
};

const ignore = (): void => {};

/** Statuses whose responses have no body (the `Response` constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * What the global fetch throws, so callers (the SDKs, `toReinsError`) see the same error shapes
 * whichever transport ran: the abort reason as is, else `TypeError` with undici's error as cause.
 */
function asFetchError(error: unknown, exchange: FetchHandler, message: string): unknown {
  if (exchange.aborted) return exchange.reason;
  if (error instanceof Error && error.name === 'AbortError') return error;
  return new TypeError(message, { cause: error });
}

/**
 * undici's header record as `[name, value]` pairs (repeated headers such as `set-cookie` arrive
 * as arrays), handed to the `Response` constructor so it builds its `Headers` once.
 */
function headerPairs(raw: RawHeaders): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const name in raw) {
    const value = raw[name];
    if (typeof value === 'string') pairs.push([name, value]);
    else if (value !== undefined) for (const item of value) pairs.push([name, item]);
  }
  return pairs;
}

/** The decompressor for each content encoding the transport undoes, by its normalised name. */
const DECODERS = new Map<string, () => Transform>([
  ['gzip', createGunzip],
  ['x-gzip', createGunzip],
  ['deflate', createInflate],
  ['br', createBrotliDecompress],
]);

/**
 * A web stream over a Node body that errors like the global fetch's and destroys the socket on
 * cancel; the exchange is released once the body ended, failed or was cancelled.
 */
function toWebStream(body: Readable, exchange: FetchHandler): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) {
            exchange.release();
            controller.close();
          } else controller.enqueue(next.value as Uint8Array);
        } catch (error) {
          exchange.release();
          controller.error(asFetchError(error, exchange, 'terminated'));
        }
      },
      async cancel(reason) {
        exchange.release();
        body.on('error', ignore).destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The origin (scheme and authority) and the path with its query of an http(s) URL. */
const ORIGIN = /^(https?:\/\/[^/?#]+)([^#]*)/i;

/** Body bytes in a buffer of their own (not a view into a socket read or a shared pool). */
function concatenated(chunks: Buffer[], length: number): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return new Uint8Array(chunks[0] as Buffer);
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** A streamed response body: reading resumes the socket; destroying it early aborts the request. */
class ResponseBody extends Readable {
  readonly #exchange: FetchHandler;

  constructor(exchange: FetchHandler) {
    super({ highWaterMark: 64 * 1024 });
    this.#exchange = exchange;
  }

  override _read(): void {
    this.#exchange.controller?.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.readableEnded) this.#exchange.controller?.abort(error ?? new Error('response body destroyed'));
    callback(error);
  }
}

/** What a response turns into once its head arrived. */
const Shape = {
  /** Not known yet (no head). */
  Pending: 0,
  /** Read whole into memory, then answered as a `BufferedResponse`. */
  Buffered: 1,
  /** An event stream, or a body to decode: handed over as a stream. */
  Streamed: 2,
  /** A status or method without a body: answered once the exchange ends. */
  Empty: 3,
} as const;

/**
 * One exchange of `createUndiciFetch`, as an undici dispatch handler that listens to the abort
 * signals through one bound function (`handleEvent`). Written against `dispatch` rather than
 * `undici.request` because `request`'s handler keeps a closure over its controller
 * (`this.abort = reason => controller.abort(reason)`), and the signals get a bound function
 * rather than this object because Node's `EventTarget` wraps an object listener in a closure
 * over it. A closure that reaches back to the object holding it, made per request, kept ~26%
 * of the bytes a request allocates alive across young-generation collections at 300
 * requests/s, against ~3% without it (either closure alone; a bound function does not do it).
 * The survivors are promoted and lengthen every scavenge: the pauses that set a gateway's p99.
 * So this handler holds its state in fields and makes no closure per request on the buffered
 * path.
 */
class FetchHandler implements Dispatcher.DispatchHandler {
  controller: Dispatcher.DispatchController | null = null;
  aborted = false;
  reason: unknown = undefined;
  #settled = false;
  #released = false;
  #shape: (typeof Shape)[keyof typeof Shape] = Shape.Pending;
  #status = 0;
  #statusText = '';
  #headers: RawHeaders = {};
  #chunks: Buffer[] = [];
  #length = 0;
  #body: ResponseBody | null = null;
  readonly #resolve: (response: Response) => void;
  readonly #reject: (error: unknown) => void;
  readonly #method: string;
  readonly #caller: AbortSignal | undefined;
  readonly #own: AbortSignal | null | undefined;
  #onAbort: ((event: Event) => void) | null = null;

  constructor(
    resolve: (response: Response) => void,
    reject: (error: unknown) => void,
    method: string,
    caller: AbortSignal | undefined,
    own: AbortSignal | null | undefined,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#method = method;
    this.#caller = caller;
    this.#own = own;
    const already = caller?.aborted ? caller : own?.aborted ? own : undefined;
    if (already !== undefined) {
      this.aborted = true;
      this.reason = already.reason;
      this.#settle(undefined, already.reason);
      this.#released = true;
      return;
    }
    this.#onAbort = this.handleEvent.bind(this);
    caller?.addEventListener('abort', this.#onAbort, { once: true });
    own?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Whether the fetch promise is already settled (before dispatch: an aborted signal). */
  get settled(): boolean {
    return this.#settled;
  }

  /** A signal aborted: abort the request with its reason; reject now if none was started. */
  handleEvent(event: Event): void {
    if (this.aborted || this.#released) return;
    this.aborted = true;
    this.reason = (event.target as AbortSignal).reason;
    this.release();
    if (this.controller !== null) this.controller.abort(this.reason as Error);
    else this.#settle(undefined, this.reason);
  }

  /** Stops listening to the signals (the exchange ended, failed or its body was cancelled). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#onAbort === null) return;
    this.#caller?.removeEventListener('abort', this.#onAbort);
    this.#own?.removeEventListener('abort', this.#onAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.aborted) controller.abort(this.reason as Error);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: RawHeaders,
    statusText?: string,
  ): void {
    if (status < 200) return;
    this.#status = status;
    this.#statusText = statusText ?? '';
    this.#headers = headers;
    if (NULL_BODY.has(status) || this.#method === 'HEAD') {
      this.#shape = Shape.Empty;
      return;
    }
    const rawEncoding = headers['content-encoding'];
    const decoder =
      typeof rawEncoding === 'string' ? DECODERS.get(rawEncoding.trim().toLowerCase()) : undefined;
    const contentType = headers['content-type'];
    const eventStream = typeof contentType === 'string' && contentType.startsWith('text/event-stream');
    if (!eventStream && decoder === undefined) {
      this.#shape = Shape.Buffered;
      return;
    }
    this.#shape = Shape.Streamed;
    this.#body = new ResponseBody(this);
    // An abort destroys the body with the reason; whoever reads it sees that, nobody else must.
    this.#body.on('error', ignore);
    let body: Readable = this.#body;
    if (decoder !== undefined) {
      body = pipeline(body, decoder(), ignore);
      // The decoded body has another length and no encoding; fetch drops both headers too.
      delete headers['content-encoding'];
      delete headers['content-length'];
    }
    if (eventStream) {
      this.#settle(
        new Response(toWebStream(body, this), {
          status,
          statusText: this.#statusText,
          headers: headerPairs(headers),
        }),
      );
      return;
    }
    body.toArray().then(
      (chunks: Buffer[]) => {
        this.release();
        const bytes = concatenated(
          chunks,
          chunks.reduce((sum, chunk) => sum + chunk.length, 0),
        );
        this.#settle(new BufferedResponse(bytes, { status, statusText: this.#statusText, headers }));
      },
      (error: unknown) => {
        this.release();
        this.#settle(undefined, asFetchError(error, this, 'terminated'));
      },
    );
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#shape === Shape.Buffered) {
      this.#chunks.push(chunk);
      this.#length += chunk.length;
    } else if (this.#body !== null && !this.#body.push(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    switch (this.#shape) {
      case Shape.Buffered: {
        this.release();
        const bytes = concatenated(this.#chunks, this.#length);
        this.#chunks = [];
        this.#settle(
          new BufferedResponse(bytes, {
            status: this.#status,
            statusText: this.#statusText,
            headers: this.#headers,
          }),
        );
        return;
      }
      case Shape.Streamed:
        this.#body?.push(null);
        return;
      default:
        this.release();
        this.#settle(
          new Response(null, {
            status: this.#status,
            statusText: this.#statusText,
            headers: headerPairs(this.#headers),
          }),
        );
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (this.#body !== null) {
      if (!this.#body.destroyed) this.#body.destroy(error);
      return;
    }
    this.release();
    this.#chunks = [];
    this.#settle(
      undefined,
      asFetchError(error, this, this.#shape === Shape.Pending ? 'fetch failed' : 'terminated'),
    );
  }

  #settle(response: Response | undefined, error?: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    if (response === undefined) this.#reject(error);
    else this.#resolve(response);
  }
}

/**
 * A `fetch` init field through which an adapter hands a `createUndiciFetch` transport the
 * caller's signal out of band (the SDKs pass `fetchOptions` through to `fetch` unchanged). Given
 * the signal the usual way, the OpenAI SDK composes it with its own timeout signal
 * (`AbortSignal.any`) and subscribes to it through weak references and a `FinalizationRegistry`,
 * for the request and again for the body: ~7-9 µs more CPU per call than without a signal,
 * much of it garbage collection (SDK against a local server), against well under a microsecond
 * for the two plain listeners linked here. The SDK then does
 * not know the signal: the caller maps the error of an aborted request by its signal.
 */
export const CALLER_SIGNAL: unique symbol = Symbol.for('reins.fetch.callerSignal');

/** A `fetch` init that may carry the caller's signal out of band (`CALLER_SIGNAL`). */
export type CallerSignalInit = RequestInit & { [CALLER_SIGNAL]?: AbortSignal | undefined };

const undiciFetches = new WeakSet<typeof globalThis.fetch>();

/**
 * Whether `fetch` was made by `createUndiciFetch`, so it honours `CALLER_SIGNAL`.
 *
 * @example
 * const outOfBand = isUndiciFetch(options.fetch ?? defaultFetch());
 */
export function isUndiciFetch(fetch: typeof globalThis.fetch): boolean {
  return undiciFetches.has(fetch);
}

/**
 * One signal that aborts when the request's (the SDK's timeout) or the caller's does, with the
 * reason of the first, linked by two plain listeners (for the global fetch, which takes one).
 */
function linkSignals(
  request: AbortSignal | null | undefined,
  caller: AbortSignal | undefined,
): AbortSignal | null | undefined {
  if (caller === undefined) return request;
  if (request === null || request === undefined) return caller;
  const controller = new AbortController();
  if (caller.aborted) controller.abort(caller.reason);
  else if (request.aborted) controller.abort(request.reason);
  if (controller.signal.aborted) return controller.signal;
  caller.addEventListener('abort', () => controller.abort(caller.reason), { once: true });
  request.addEventListener('abort', () => controller.abort(request.reason), { once: true });
  return controller.signal;
}

function isPlainBody(body: unknown): body is string | Uint8Array | undefined | null {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * A `fetch` for the official SDKs built on undici's `dispatch` over one keep-alive `Agent` (a
 * socket pool per origin): several times less CPU per call than the global fetch, which runs the
 * whole WHATWG fetch algorithm (request and response objects, header guards, body mixins) around
 * the same undici core. What the SDKs use is kept: status, headers (rate-limit learning), the
 * body as a `ReadableStream` for SSE, `AbortSignal` (an abort closes the upstream socket) and the
 * global fetch's error shapes (`TypeError: fetch failed` / `terminated` with undici's error as
 * `cause`; an abort rejects with the signal's reason). A JSON (non-SSE) answer is read whole
 * before the promise resolves, so the SDK's request timeout covers its body too, and arrives as a
 * `BufferedResponse` (a `Response` subclass that decodes the bytes it holds and reads headers from
 * undici's record, instead of a web stream and a header list built per answer).
 *
 * Differences: no redirects are followed and no cookies are kept (API endpoints use neither);
 * transport time limits are off (`headersTimeout`/`bodyTimeout` 0): Reins and the SDK enforce
 * theirs. Proxies come from `HTTP(S)_PROXY`/`NO_PROXY` when `NODE_USE_ENV_PROXY` is set, as for
 * Node's own fetch. Bodies other than strings and bytes (forms, streams) go to the global fetch.
 *
 * @example
 * const openai = new OpenAI({ fetch: createUndiciFetch(), maxRetries: 0 });
 */
export function createUndiciFetch(options: UndiciFetchOptions = {}): typeof globalThis.fetch {
  const agentOptions = {
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    headersTimeout: 0,
    bodyTimeout: 0,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
  };
  let dispatcher = options.dispatcher;
  const getDispatcher = (): Dispatcher => {
    dispatcher ??= process.env['NODE_USE_ENV_PROXY']
      ? new EnvHttpProxyAgent(agentOptions)
      : new Agent(agentOptions);
    return dispatcher;
  };

  const undiciFetch = async (input: RequestInfo | URL, init?: CallerSignalInit): Promise<Response> => {
    if (input instanceof Request || !isPlainBody(init?.body)) {
      // The global fetch knows only `signal`; the links go with the signals once they are done.
      const signal = linkSignals(init?.signal, init?.[CALLER_SIGNAL]);
      return globalThis.fetch(input, signal === init?.signal ? init : { ...init, signal: signal ?? null });
    }
    return send(input, init, init?.[CALLER_SIGNAL], init?.signal);
  };
  const send = (
    input: string | URL,
    init: CallerSignalInit | undefined,
    caller: AbortSignal | undefined,
    own: AbortSignal | null | undefined,
  ): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = typeof input === 'string' ? input : input.href;
      const split = ORIGIN.exec(url);
      const method = (init?.method?.toUpperCase() ?? 'GET') as Dispatcher.HttpMethod;
      const handler = new FetchHandler(resolve, reject, method, caller, own);
      if (handler.settled) return;
      if (split === null) {
        handler.onResponseError(null, new TypeError(`Invalid URL: ${url}`));
        return;
      }
      try {
        getDispatcher().dispatch(
          {
            origin: split[1] as string,
            path: split[2]?.startsWith('/') ? split[2] : `/${split[2] ?? ''}`,
            method,
            headers: init?.headers as Dispatcher.DispatchOptions['headers'],
            // A string or bytes: `undiciFetch` sent anything else to the global fetch.
            body: (init?.body ?? null) as string | Uint8Array | null,
          },
          handler,
        );
      } catch (error) {
        handler.onResponseError(null, error as Error);
      }
    });
  undiciFetches.add(undiciFetch);
  return undiciFetch;
}

let shared: typeof globalThis.fetch | undefined;

/**
 * The adapters' default transport: one `createUndiciFetch()` for the process, so every client
 * and provider reuses the same keep-alive sockets per origin. Pass `fetch: globalThis.fetch`
 * (client config or adapter options) to use the global fetch instead.
 *
 * @example
 * new Anthropic({ fetch: options.fetch ?? defaultFetch(), maxRetries: 0 });
 */
export function defaultFetch(): typeof globalThis.fetch {
  shared ??= createUndiciFetch();
  return shared;
}
