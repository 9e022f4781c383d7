import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_SIGNAL, type CallerSignalInit, createUndiciFetch, isUndiciFetch } from './undici-fetch.ts';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

describe('createUndiciFetch', () => {
  const handlers = new Map<string, Handler>();
  let server: Server;
  let base: string;
  const fetch = createUndiciFetch();

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      handlers.get(request.url ?? '')?.(request, body, response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('sends method, headers and body; answers status, headers and body as a Response', async () => {
    handlers.set('/echo', (request, body, response) => {
      response.writeHead(201, {
        'content-type': 'application/json',
        'x-ratelimit-remaining-requests': '41',
        'set-cookie': ['a=1', 'b=2'],
      });
      response.end(JSON.stringify({ method: request.method, auth: request.headers.authorization, body }));
    });
    const response = await fetch(`${base}/echo`, {
      method: 'post',
      headers: new Headers({ authorization: 'Bearer k', 'content-type': 'application/json' }),
      body: '{"q":1}',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('41');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ method: 'POST', auth: 'Bearer k', body: '{"q":1}' });
  });

  it('hands an event stream over chunk by chunk, before the upstream has finished', async () => {
    let sendRest: () => void = () => {};
    handlers.set('/sse', (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
      sendRest = () => response.end('data: two\n\n');
    });
    const response = await fetch(`${base}/sse`, { method: 'POST', body: '{}' });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('data: one\n\n');
    sendRest();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += value;
    }
    expect(rest).toBe('data: two\n\n');
  });

  it('an abort mid-stream errors the body with the reason and closes the upstream connection', async () => {
    const upstreamClosed = new Promise<void>((resolve) => {
      handlers.set('/stall', (_request, _body, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: one\n\n');
        response.on('close', () => resolve());
      });
    });
    const controller = new AbortController();
    const response = await fetch(`${base}/stall`, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    const reason = new Error('user left');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
    await upstreamClosed;
  });

  it('a caller signal given out of band (CALLER_SIGNAL) aborts the request with its reason, next to its own signal', async () => {
    // Resolves once the upstream got the request, then once it saw the connection close.
    let arrived: () => void = () => {};
    let closed: () => void = () => {};
    handlers.set('/hang', (_request, _body, response) => {
      response.on('close', () => closed());
      arrived();
    });
    const hang = async (init: CallerSignalInit, abort: () => void) => {
      const inFlight = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const upstreamClosed = new Promise<void>((resolve) => {
        closed = resolve;
      });
      const pending = fetch(`${base}/hang`, { method: 'POST', body: '{}', ...init });
      await inFlight;
      abort();
      const error = await pending.catch((caught: unknown) => caught);
      await upstreamClosed;
      return error;
    };

    const caller = new AbortController();
    const reason = new Error('caller left');
    const own = new AbortController();
    expect(
      await hang({ signal: own.signal, [CALLER_SIGNAL]: caller.signal }, () => caller.abort(reason)),
    ).toBe(reason);

    // The request's own signal (the SDK's timeout) still aborts a request that has a caller signal.
    const sdk = new AbortController();
    const timeout = new Error('sdk timeout');
    expect(
      await hang({ signal: sdk.signal, [CALLER_SIGNAL]: new AbortController().signal }, () =>
        sdk.abort(timeout),
      ),
    ).toBe(timeout);

    const gone = new Error('already gone');
    const init: CallerSignalInit = { signal: own.signal, [CALLER_SIGNAL]: AbortSignal.abort(gone) };
    await expect(fetch(`${base}/echo`, init)).rejects.toBe(gone);
    expect(isUndiciFetch(fetch)).toBe(true);
    expect(isUndiciFetch(globalThis.fetch)).toBe(false);
  });

  it('rejects with the abort reason when the signal is already aborted', async () => {
    const reason = new Error('gone');
    await expect(fetch(`${base}/echo`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('reports a refused connection and a cut body as the global fetch does', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const refused = await fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError).message).toBe('fetch failed');
    expect(((refused as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');

    handlers.set('/cut', (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"partial":');
      setImmediate(() => response.socket?.destroy());
    });
    const cut = await fetch(`${base}/cut`).catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(TypeError);
    expect((cut as TypeError).message).toBe('terminated');
  });

  it('decodes gzip and brotli bodies and answers a 204 without one', async () => {
    handlers.set('/gzip', (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync('{"zipped":true}'));
    });
    const zipped = await fetch(`${base}/gzip`);
    expect(zipped.headers.get('content-encoding')).toBeNull();
    expect(await zipped.json()).toEqual({ zipped: true });

    handlers.set('/br', (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': ' BR ' });
      response.end(brotliCompressSync('{"brotli":true}'));
    });
    expect(await (await fetch(`${base}/br`)).json()).toEqual({ brotli: true });

    handlers.set('/empty', (_request, _body, response) => {
      response.writeHead(204);
      response.end();
    });
    const empty = await fetch(`${base}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('sends the query string and reads a body that arrives in several chunks', async () => {
    handlers.set('/chunks?page=2&q=a%20b', (request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"url":');
      setImmediate(() => response.end(`${JSON.stringify(request.url)},"pad":"${'x'.repeat(70_000)}"}`));
    });
    const response = await fetch(`${base}/chunks?page=2&q=a%20b`);
    const body = (await response.json()) as { url: string; pad: string };
    expect(body.url).toBe('/chunks?page=2&q=a%20b');
    expect(body.pad).toHaveLength(70_000);
  });

  it('an abort while the request waits for a busy socket rejects at once, and the request is never sent', async () => {
    const single = createUndiciFetch({ connections: 1 });
    const seen: string[] = [];
    let arrived: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    handlers.set('/busy', (request, _body, response) => {
      seen.push(request.url ?? '');
      arrived();
      setTimeout(() => response.end('{}'), 50);
    });
    handlers.set('/queued', (request, _body, response) => {
      seen.push(request.url ?? '');
      response.end('{}');
    });
    const busy = single(`${base}/busy`);
    await inFlight;
    const controller = new AbortController();
    const queued = single(`${base}/queued`, { signal: controller.signal });
    const reason = new Error('not waiting');
    controller.abort(reason);
    // Rejected before the busy request's answer (50 ms away) freed the socket.
    expect(await Promise.race([queued.catch((error: unknown) => error), busy.then(() => 'busy first')])).toBe(
      reason,
    );
    expect((await busy).status).toBe(200);
    // The socket is free again: a later request goes out; the aborted one never did.
    expect((await single(`${base}/queued`)).status).toBe(200);
    expect(seen).toEqual(['/busy', '/queued']);
  });

  it('hands bodies it does not send itself (forms) to the global fetch', async () => {
    handlers.set('/form', (request, body, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`${request.headers['content-type']?.split(';')[0]} ${body.includes('name="a"')}`);
    });
    const form = new FormData();
    form.set('a', '1');
    const response = await fetch(`${base}/form`, { method: 'POST', body: form });
    expect(await response.text()).toBe('multipart/form-data true');
  });
});
