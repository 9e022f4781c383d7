import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from './app.ts';
import { MissingVariablesError } from './errors/server-error.ts';
import { createTestDeps, type TestDeps } from './testing/create-test-deps.ts';

const ALICE = 'alice-key-0123456789abcdef';
const BOB = 'bob-key-0123456789abcdef0';

let app: FastifyInstance | undefined;
let deps: TestDeps | undefined;
afterEach(async () => {
  await app?.close();
  await deps?.close();
  app = undefined;
  deps = undefined;
});

/** The app plus a probe route, so the cross-cutting behaviour is tested without domain routes. */
async function build(env: Record<string, string> = {}, readiness?: TestDeps['readiness']) {
  await app?.close();
  await deps?.close();
  deps = await createTestDeps({ env, overrides: readiness === undefined ? {} : { readiness } });
  app = await createApp(deps);
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/echo',
    {
      schema: {
        body: z.strictObject({
          model: z.string(),
          messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })).min(1),
        }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).optional() }),
      },
    },
    async (request) => ({ owner: request.owner, body: request.body }),
  );
  app.get('/v1/boom', async () => {
    throw new Error('secret internals');
  });
  app.get('/v1/missing', async () => {
    throw new MissingVariablesError('summarise', ['text', 'audience']);
  });
  return app;
}

describe('createApp', () => {
  it('answers /health with the simulated flag', async () => {
    const response = await (await build()).inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', simulated: true });
    expect(response.headers['x-reins-simulated']).toBe('true');
  });

  it('reports readiness per dependency, 503 as a problem when one fails', async () => {
    const ok = await (await build({}, { store: async () => {} })).inject({ method: 'GET', url: '/ready' });
    expect(ok.json()).toEqual({ status: 'ready', checks: { store: 'ok' } });
    const failing = await (
      await build({}, { store: async () => {}, queue: async () => Promise.reject(new Error('redis down')) })
    ).inject({ method: 'GET', url: '/ready' });
    expect(failing.statusCode).toBe(503);
    expect(failing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(failing.json()).toMatchObject({ status: 503, checks: { store: 'ok', queue: 'redis down' } });
  });

  it('serves the OpenAPI 3.1 document and the docs UI', async () => {
    const built = await build();
    const spec = await built.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().openapi).toBe('3.1.0');
    expect(Object.keys(spec.json().paths)).toEqual(
      expect.arrayContaining(['/health', '/ready', '/metrics', '/v1/echo']),
    );
    const docs = await built.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('exposes Prometheus metrics that count requests', async () => {
    const built = await build();
    await built.inject({ method: 'GET', url: '/health' });
    const metrics = await built.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain; version=0.0.4');
    expect(metrics.body).toContain('# TYPE reins_http_requests_total counter');
    expect(metrics.body).toContain('reins_http_requests_total{method="GET",route="/health",status="200"} 1');
    expect(metrics.body).toContain(
      'reins_http_request_duration_seconds_bucket{method="GET",route="/health",le="+Inf"} 1',
    );
  });

  it('echoes or assigns a trace id', async () => {
    const built = await build();
    const given = await built.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-trace-id': 'my-trace-1' },
    });
    expect(given.headers['x-trace-id']).toBe('my-trace-1');
    const parent = await built.inject({
      method: 'GET',
      url: '/health',
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    expect(parent.headers['x-trace-id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const fresh = await built.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-trace-id': 'bad id with spaces' },
    });
    expect(fresh.headers['x-trace-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });
});

describe('errors are problem+json naming the field', () => {
  it('400 lists every bad field with its path', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/v1/echo?limit=0',
      payload: { messages: [{ role: 'robot', content: 1 }], tempreature: 2 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({
      type: 'urn:reins:problem:validation-error',
      status: 400,
      instance: '/v1/echo?limit=0',
    });
    expect(problem.traceId).toBe(response.headers['x-trace-id']);
  });

  it('names body fields, nested paths and unknown keys', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/v1/echo',
      payload: { messages: [{ role: 'robot', content: 1 }], tempreature: 2 },
    });
    const fields = response
      .json()
      .errors.map((error: { in: string; field: string }) => `${error.in}.${error.field}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.model',
        'body.messages.0.role',
        'body.messages.0.content',
        'body.tempreature',
      ]),
    );
    expect(response.json().detail).toContain('body.messages.0.role');
  });

  it('names query fields', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/v1/echo?limit=0',
      payload: { model: 'openai/x', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({
      in: 'querystring',
      field: 'limit',
      pointer: '#/limit',
    });
  });

  it('malformed JSON, empty bodies and wrong media types are 4xx', async () => {
    const built = await build();
    const broken = await built.inject({
      method: 'POST',
      url: '/v1/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"model": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().type).toBe('urn:reins:problem:invalid-body');
    const empty = await built.inject({
      method: 'POST',
      url: '/v1/echo',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode).toBe(400);
    const text = await built.inject({
      method: 'POST',
      url: '/v1/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(text.statusCode).toBe(415);
  });

  it('413 for a body over the limit, naming the limit (and the size when the client sent it)', async () => {
    const app = await build({ REINS_BODY_LIMIT_BYTES: '2048' });
    const body = JSON.stringify({
      model: 'openai/x',
      messages: [{ role: 'user', content: 'x'.repeat(4096) }],
    });
    const send = (payload: string | Readable) =>
      app.inject({
        method: 'POST',
        url: '/v1/echo',
        headers: { 'content-type': 'application/json' },
        payload,
      });

    const sized = await send(body);
    expect(sized.statusCode).toBe(413);
    expect(sized.json()).toMatchObject({
      type: 'urn:reins:problem:payload-too-large',
      status: 413,
      limitBytes: 2048,
      detail: `the request body (${Buffer.byteLength(body)} bytes) is over this server's limit of 2048 bytes`,
    });
    // Streamed: no content-length, so no size to give.
    const streamed = await send(Readable.from([body.slice(0, 1000), body.slice(1000)]));
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json()).toMatchObject({
      limitBytes: 2048,
      detail: "the request body is over this server's limit of 2048 bytes",
    });
  });

  it('422 lists every missing variable', async () => {
    const response = await (await build()).inject({ method: 'GET', url: '/v1/missing' });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ missing: ['text', 'audience'], template: 'summarise' });
    expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual([
      'variables.text',
      'variables.audience',
    ]);
  });

  it('404 for an unknown route', async () => {
    const response = await (await build()).inject({ method: 'GET', url: '/v1/nothing-here?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      type: 'urn:reins:problem:route-not-found',
      detail: "route 'GET /v1/nothing-here' does not exist",
    });
  });

  it('500 reveals nothing about the failure', async () => {
    const response = await (await build()).inject({ method: 'GET', url: '/v1/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret internals');
    expect(response.json().type).toBe('urn:reins:problem:internal');
  });
});

describe('auth', () => {
  const env = { REINS_API_KEYS: `alice:${ALICE},bob:${BOB}` };
  const body = { model: 'openai/x', messages: [{ role: 'user', content: 'hi' }] };

  it('requires a known bearer key on /v1 once keys are configured', async () => {
    const built = await build(env);
    const none = await built.inject({ method: 'POST', url: '/v1/echo', payload: body });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="reins"');
    const wrong = await built.inject({
      method: 'POST',
      url: '/v1/echo',
      payload: body,
      headers: { authorization: 'Bearer not-a-key-at-all-0000' },
    });
    expect(wrong.statusCode).toBe(401);
    const basic = await built.inject({
      method: 'POST',
      url: '/v1/echo',
      payload: body,
      headers: { authorization: 'Basic abc' },
    });
    expect(basic.statusCode).toBe(401);
    const alice = await built.inject({
      method: 'POST',
      url: '/v1/echo',
      payload: body,
      headers: { authorization: `Bearer ${ALICE}` },
    });
    expect(alice.json().owner).toBe('alice');
    const bob = await built.inject({
      method: 'POST',
      url: '/v1/echo',
      payload: body,
      headers: { authorization: `bearer ${BOB}` },
    });
    expect(bob.json().owner).toBe('bob');
  });

  it('leaves /health, /metrics and the docs open', async () => {
    const built = await build(env);
    for (const url of ['/health', '/metrics', '/openapi.json', '/docs/']) {
      expect((await built.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
  });

  it('acts as the local owner without keys', async () => {
    const response = await (await build()).inject({ method: 'POST', url: '/v1/echo', payload: body });
    expect(response.json().owner).toBe('local');
  });

  it('rate-limits per key, not globally', async () => {
    const built = await build({ ...env, REINS_RATE_LIMIT_PER_MINUTE: '2' });
    const send = (key: string) =>
      built.inject({
        method: 'POST',
        url: '/v1/echo',
        payload: body,
        headers: { authorization: `Bearer ${key}` },
      });
    expect((await send(ALICE)).statusCode).toBe(200);
    expect((await send(ALICE)).statusCode).toBe(200);
    const limited = await send(ALICE);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json()).toMatchObject({ type: 'urn:reins:problem:rate-limited', limit: 2 });
    expect((await send(BOB)).statusCode).toBe(200);
    expect((await built.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('CORS', () => {
  it('is off by default and answers configured origins', async () => {
    const closed = await (await build()).inject({
      method: 'GET',
      url: '/health',
      headers: { origin: 'http://a.test' },
    });
    expect(closed.headers['access-control-allow-origin']).toBeUndefined();
    const open = await (await build({ REINS_CORS_ORIGINS: 'http://a.test' })).inject({
      method: 'OPTIONS',
      url: '/v1/echo',
      headers: { origin: 'http://a.test', 'access-control-request-method': 'POST' },
    });
    expect(open.headers['access-control-allow-origin']).toBe('http://a.test');
  });
});
