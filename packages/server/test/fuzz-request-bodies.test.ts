import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createTestDeps, type TestDeps } from '../src/testing/create-test-deps.ts';

/**
 * Property: whatever a client sends, the answer is never a 5xx, and every error is problem+json.
 * Bodies are drawn from three families: arbitrary JSON, objects with the real field names and
 * arbitrary values, and valid requests with one field replaced by garbage.
 */
const RUNS = Number(process.env['REINS_FUZZ_RUNS'] ?? 10_000);

const fieldNames = [
  'model',
  'prompt',
  'messages',
  'system',
  'template',
  'variables',
  'maxTokens',
  'temperature',
  'stop',
  'metadata',
  'timeout',
  'cache',
  'schema',
  'schemaName',
  'maxRetries',
  'mode',
  'kind',
  'input',
  'priority',
  'timeoutMs',
  'maxAttempts',
];

const validBodies: Record<string, Record<string, unknown>> = {
  '/v1/generate': { model: 'openai/gpt-5.6-luna', prompt: 'Hi', maxTokens: 20 },
  '/v1/stream': {
    model: 'anthropic/claude-haiku-4-5',
    messages: [{ role: 'user', content: 'Hi' }],
    maxTokens: 20,
  },
  '/v1/structured': {
    prompt: 'Ada, 36',
    schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    maxTokens: 50,
  },
  '/v1/tasks': { kind: 'generate', input: { prompt: 'Hi', maxTokens: 20 } },
  '/v1/prompts/contract_summary/render': { variables: { contract_title: 'x' } },
};
const postUrls = Object.keys(validBodies);

const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'openai/gpt-5.6-luna',
    'anthropic/claude-haiku-4-5',
    'x/y',
    '',
    'user',
    'image',
    -1,
    1e308,
    null,
  ),
);

const messageLike = fc.record(
  {
    role: fc.oneof(fc.constantFrom('user', 'assistant', 'tool', 'system'), value),
    content: fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.array(
        fc.record(
          {
            type: fc.constantFrom('text', 'image', 'tool-call', 'tool-result', 'audio'),
            text: value,
            id: value,
            name: value,
            input: value,
            output: value,
            data: fc.oneof(fc.base64String({ maxLength: 40 }), value),
            mediaType: fc.oneof(fc.constantFrom('image/png', 'text/html'), value),
            url: fc.oneof(fc.webUrl(), value),
          },
          { requiredKeys: ['type'] },
        ),
        { maxLength: 3 },
      ),
      value,
    ),
  },
  { requiredKeys: [] },
);

const fieldsBody = fc.dictionary(
  fc.constantFrom(...fieldNames),
  fc.oneof(value, messageLike, fc.array(messageLike, { maxLength: 3 })),
  {
    maxKeys: 6,
  },
);

const mutatedBody = fc
  .tuple(fc.constantFrom(...postUrls), fc.constantFrom(...fieldNames), fc.oneof(value, messageLike))
  .map(([url, field, replacement]) => ({ url, body: { ...validBodies[url], [field]: replacement } }));

/** Bodies that pass validation with odd but legal values: these reach the client and the simulator. */
const part = fc.oneof(
  fc.record({ type: fc.constant('text'), text: fc.string({ maxLength: 30, unit: 'grapheme' }) }),
  fc.record({
    type: fc.constant('image'),
    mediaType: fc.constantFrom('image/png', 'image/jpeg'),
    data: fc.constantFrom('iVBORw0KGgo=', 'AAAA'),
  }),
  fc.record({
    type: fc.constant('image'),
    url: fc.constantFrom('https://example.com/a.png', 'http://127.0.0.1:1/x.jpg'),
  }),
  fc.record({
    type: fc.constant('tool-call'),
    id: fc.constantFrom('c1', 'c2'),
    name: fc.constantFrom('lookup', 'x'),
    input: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({
    type: fc.constant('tool-result'),
    id: fc.constantFrom('c1', 'c2'),
    output: fc.jsonValue({ maxDepth: 2 }),
    isError: fc.boolean(),
  }),
);
const legalMessage = fc.record({
  role: fc.constantFrom('user', 'assistant', 'tool'),
  content: fc.oneof(
    fc.string({ minLength: 0, maxLength: 40, unit: 'grapheme' }),
    fc.array(part, { minLength: 1, maxLength: 3 }),
  ),
});
const legalBody = fc.record(
  {
    model: fc.constantFrom(
      'openai/gpt-5.6-luna',
      'anthropic/claude-haiku-4-5',
      'openai/unknown-model',
      'anthropic/x',
      'local/llama',
    ),
    prompt: fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }),
    system: fc.string({ maxLength: 50 }),
    maxTokens: fc.integer({ min: 1, max: 1_000_000 }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    stop: fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 4 }),
    cache: fc.constantFrom('auto', 'off'),
    metadata: fc.record(
      {
        userId: fc.string({ minLength: 1, maxLength: 20 }),
        tags: fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    // Under a second is refused (400); a real deadline is long enough for the simulator.
    timeout: fc.record(
      { totalMs: fc.oneof(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 10_000, max: 60_000 })) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['prompt'] },
);
const legalRequest = fc.oneof(
  legalBody.map((body) => ({ url: '/v1/generate', body })),
  fc
    .tuple(legalBody, fc.array(legalMessage, { minLength: 1, maxLength: 4 }))
    .map(([{ prompt: _prompt, ...body }, messages]) => ({ url: '/v1/stream', body: { ...body, messages } })),
  legalBody.map((body) => ({ url: '/v1/tasks', body: { kind: 'generate', input: body } })),
  fc
    .tuple(
      legalBody,
      fc.dictionary(
        fc.constantFrom(
          'contract_title',
          'parties',
          'contract_date',
          'contract_type',
          'contract_content',
          'extra',
        ),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    )
    .map(([{ prompt: _prompt, system: _system, ...body }, variables]) => ({
      url: '/v1/generate',
      body: { ...body, template: 'contract_summary', variables },
    })),
);

const request = fc.oneof(
  legalRequest,
  fc.record({ url: fc.constantFrom(...postUrls), body: fc.jsonValue({ maxDepth: 4 }) }),
  fc.record({ url: fc.constantFrom(...postUrls), body: fieldsBody }),
  mutatedBody,
  fc.record({ url: fc.constantFrom(...postUrls), raw: fc.string({ maxLength: 60 }) }),
);

const queryKeys = [
  'traceId',
  'model',
  'status',
  'since',
  'until',
  'limit',
  'cursor',
  'search',
  'tag',
  'kind',
  'x',
];
const getRequest = fc.record({
  path: fc.constantFrom(
    '/v1/calls',
    '/v1/tasks',
    '/v1/usage',
    '/v1/prompts',
    '/v1/calls/x',
    '/v1/traces/x',
    '/v1/tasks/x',
  ),
  query: fc.dictionary(fc.constantFrom(...queryKeys), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
});

describe('fuzz: no request body or query makes a 5xx', () => {
  let deps: TestDeps;
  let app: FastifyInstance;

  beforeAll(async () => {
    deps = await createTestDeps({
      env: { REINS_RATE_LIMIT_PER_MINUTE: '1000000', REINS_QUEUE_CONCURRENCY: '2' },
    });
    app = await createApp(deps);
  });
  afterAll(async () => {
    await app?.close();
    await deps?.close();
  });

  function check(status: number, contentType: string | undefined, what: unknown) {
    if (status >= 500) throw new Error(`${status} for ${JSON.stringify(what).slice(0, 500)}`);
    if (status >= 400) expect(contentType, JSON.stringify(what)).toMatch(/^application\/problem\+json/);
  }

  it(`POST bodies (${Math.round(RUNS * 0.9)} cases)`, { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (drawn) => {
        const response = await app.inject({
          method: 'POST',
          url: drawn.url,
          ...('raw' in drawn
            ? { payload: drawn.raw, headers: { 'content-type': 'application/json' } }
            : { payload: JSON.stringify(drawn.body), headers: { 'content-type': 'application/json' } }),
        });
        check(response.statusCode, response.headers['content-type'] as string | undefined, drawn);
      }),
      { numRuns: Math.round(RUNS * 0.9) },
    );
  });

  it(`GET queries (${Math.round(RUNS * 0.1)} cases)`, { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(getRequest, async ({ path, query }) => {
        const response = await app.inject({ method: 'GET', url: path, query });
        check(response.statusCode, response.headers['content-type'] as string | undefined, { path, query });
      }),
      { numRuns: Math.round(RUNS * 0.1) },
    );
  });
});
