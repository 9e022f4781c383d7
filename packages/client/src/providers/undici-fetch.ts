import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, type Dispatcher, EnvHttpProxyAgent, request } from 'undici';
import { BufferedResponse } from './buffered-response.ts';

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
function asFetchError(error: unknown, signal: AbortSignal | null | undefined, message: string): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof Error && error.name === 'AbortError') return error;
  return new TypeError(message, { cause: error });
}

/**
 * undici's header record as `[name, value]` pairs (repeated headers such as `set-cookie` arrive
 * as arrays), handed to the `Response` constructor so it builds its `Headers` once.
 */
function headerPairs(raw: Record<string, string | string[] | undefined>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const name in raw) {
    const value = raw[name];
    if (typeof value === 'string') pairs.push([name, value]);
    else if (value !== undefined) for (const item of value) pairs.push([name, item]);
  }
  return pairs;
}

function decoded(body: Readable, encoding: string | undefined): Readable {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return body;
    case 'gzip':
    case 'x-gzip':
      return pipeline(body, createGunzip(), ignore);
    case 'deflate':
      return pipeline(body, createInflate(), ignore);
    case 'br':
      return pipeline(body, createBrotliDecompress(), ignore);
    default:
      return body;
  }
}

/**
 * A web stream over a Node body that errors like the global fetch's and destroys the socket on
 * cancel; `done` runs once the body ended, failed or was cancelled.
 */
function toWebStream(
  body: Readable,
  signal: AbortSignal | null | undefined,
  done: () => void,
): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) {
            done();
            controller.close();
          } else controller.enqueue(next.value as Uint8Array);
        } catch (error) {
          done();
          controller.error(asFetchError(error, signal, 'terminated'));
        }
      },
      async cancel(reason) {
        done();
        body.on('error', ignore).destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
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
 * reason of the first, linked by two plain listeners; `unlink` removes them.
 */
function linkSignals(
  request: AbortSignal | null | undefined,
  caller: AbortSignal | undefined,
): { signal: AbortSignal | null | undefined; unlink: () => void } {
  if (caller === undefined) return { signal: request, unlink: ignore };
  if (request === null || request === undefined) return { signal: caller, unlink: ignore };
  const controller = new AbortController();
  if (caller.aborted) controller.abort(caller.reason);
  else if (request.aborted) controller.abort(request.reason);
  if (controller.signal.aborted) return { signal: controller.signal, unlink: ignore };
  const onCaller = () => controller.abort(caller.reason);
  const onRequest = () => controller.abort(request.reason);
  caller.addEventListener('abort', onCaller, { once: true });
  request.addEventListener('abort', onRequest, { once: true });
  return {
    signal: controller.signal,
    unlink: () => {
      caller.removeEventListener('abort', onCaller);
      request.removeEventListener('abort', onRequest);
    },
  };
}

function isPlainBody(body: unknown): body is string | Uint8Array | undefined | null {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * A `fetch` for the official SDKs built on `undici.request` over one keep-alive `Agent` (a
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
    const { signal, unlink } = linkSignals(init?.signal, init?.[CALLER_SIGNAL]);
    if (input instanceof Request || !isPlainBody(init?.body)) {
      // The global fetch knows only `signal`; the links go with the signals once they are done.
      return globalThis.fetch(input, signal === init?.signal ? init : { ...init, signal: signal ?? null });
    }
    if (unlink === ignore) return send(input, init, signal, unlink);
    try {
      return await send(input, init, signal, unlink);
    } catch (error) {
      unlink();
      throw error;
    }
  };
  const send = async (
    input: string | URL,
    init: CallerSignalInit | undefined,
    signal: AbortSignal | null | undefined,
    unlink: () => void,
  ): Promise<Response> => {
    const method = (init?.method?.toUpperCase() ?? 'GET') as Dispatcher.HttpMethod;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(typeof input === 'string' ? input : input.href, {
        method,
        headers: init?.headers as Dispatcher.RequestOptions['headers'],
        // A string or bytes: `undiciFetch` sent anything else to the global fetch.
        body: (init?.body ?? null) as string | Uint8Array | null,
        ...(signal ? { signal } : {}),
        dispatcher: getDispatcher(),
      });
    } catch (error) {
      throw asFetchError(error, signal, 'fetch failed');
    }
    const { statusCode: status, statusText } = response;
    // An abort destroys the body with the reason; whoever reads it sees that, nobody else must.
    response.body.on('error', ignore);
    const raw = response.headers;
    if (NULL_BODY.has(status) || method === 'HEAD') {
      await response.body.dump();
      unlink();
      return new Response(null, { status, statusText, headers: headerPairs(raw) });
    }
    const encoding = raw['content-encoding'];
    const body = decoded(response.body, typeof encoding === 'string' ? encoding : undefined);
    if (body !== response.body) {
      // The decoded body has another length and no encoding; fetch drops both headers too.
      delete raw['content-encoding'];
      delete raw['content-length'];
    }
    const contentType = raw['content-type'];
    if (typeof contentType === 'string' && contentType.startsWith('text/event-stream')) {
      return new Response(toWebStream(body, signal, unlink), {
        status,
        statusText,
        headers: headerPairs(raw),
      });
    }
    let bytes: Uint8Array;
    try {
      bytes = body === response.body ? await response.body.bytes() : Buffer.concat(await body.toArray());
    } catch (error) {
      throw asFetchError(error, signal, 'terminated');
    }
    unlink();
    return new BufferedResponse(bytes as Uint8Array<ArrayBuffer>, { status, statusText, headers: raw });
  };
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
