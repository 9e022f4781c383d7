import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/helpers/test-app.ts';

const harness = useTestApp();

const CONTRACT = {
  contract_title: 'Master Services Agreement',
  parties: 'Acme Ltd (supplier) and Beta plc (customer)',
  contract_date: '2025-01-15',
  contract_type: 'services agreement',
  contract_content:
    'The supplier shall provide the services. Either party may terminate with 30 days notice.',
};

describe('POST /v1/generate', () => {
  it('answers a free prompt with text, usage, cost, trace id and the simulated flag', async () => {
    const { alice } = await harness.start();
    const response = await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { prompt: 'Say hi', maxTokens: 50, metadata: { userId: 'u1', tags: ['demo'] } },
      headers: { 'x-trace-id': 'trace-generate-1' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      model: 'openai/gpt-5.6-luna',
      provider: 'openai',
      finishReason: expect.any(String),
      traceId: 'trace-generate-1',
      attempts: 1,
      template: null,
      simulated: true,
    });
    expect(body.text.length).toBeGreaterThan(0);
    expect(body.usage.inputTokens).toBeGreaterThan(0);
    expect(body.costUsd).toBeGreaterThan(0);
    expect(response.headers['x-reins-simulated']).toBe('true');
  });

  it('takes messages with parts and a system prompt', async () => {
    const { alice } = await harness.start();
    const response = await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: {
        model: 'anthropic/claude-haiku-4-5',
        system: 'Be brief.',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] },
          { role: 'assistant', content: '4' },
          { role: 'user', content: 'And 3+3?' },
        ],
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ provider: 'anthropic', model: 'anthropic/claude-haiku-4-5' });
  });

  it('renders template + variables and reports the template version', async () => {
    const { alice } = await harness.start();
    const response = await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { template: 'contract_summary', variables: CONTRACT },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      model: 'anthropic/claude-haiku-4-5',
      template: { name: 'contract_summary', version: '1.0.0', hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  it('404 for an unknown template, listing the available ones', async () => {
    const { alice } = await harness.start();
    const response = await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { template: 'nope', variables: {} },
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: 'urn:reins:problem:template-not-found',
      available: expect.arrayContaining(['contract_summary']),
    });
  });

  it('422 listing every missing variable', async () => {
    const { alice } = await harness.start();
    const response = await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { template: 'contract_summary', variables: { contract_title: 'x' } },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().missing).toEqual([
      'parties',
      'contract_date',
      'contract_type',
      'contract_content',
    ]);
  });

  it('400 naming model for an unknown provider or model', async () => {
    const { alice } = await harness.start();
    for (const model of ['mistral/large', 'openai/no-such-model', 'anthropic/claude-nope']) {
      const response = await alice({ method: 'POST', url: '/v1/generate', payload: { model, prompt: 'Hi' } });
      expect(response.statusCode, model).toBe(400);
      expect(response.json()).toMatchObject({ type: 'urn:reins:problem:unknown-model', model });
      expect(response.json().errors[0].field).toBe('model');
    }
    const malformed = await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { model: 'gpt-4', prompt: 'Hi' },
    });
    expect(malformed.json().errors[0]).toMatchObject({
      field: 'model',
      detail: expect.stringContaining('provider/model'),
    });
  });

  it('400 naming the fields when the prompt source is missing, doubled or inconsistent', async () => {
    const { alice } = await harness.start();
    const send = (payload: unknown) =>
      alice({ method: 'POST', url: '/v1/generate', payload: payload as object });
    expect((await send({})).json().errors.map((error: { field: string }) => error.field)).toEqual(['prompt']);
    expect(
      (await send({ prompt: 'a', messages: [{ role: 'user', content: 'b' }] })).json().errors[0].field,
    ).toBe('messages');
    expect((await send({ prompt: 'a', variables: {} })).json().errors[0].field).toBe('variables');
    expect((await send({ template: 'contract_summary', system: 'x' })).json().errors[0].field).toBe('system');
    const bad = await send({ prompt: 'a', temperature: 9, maxTokens: 0, messages: undefined, stop: [1] });
    expect(
      bad
        .json()
        .errors.map((error: { field: string }) => error.field)
        .sort(),
    ).toEqual(['maxTokens', 'stop.0', 'temperature']);
  });

  it('400 naming the prompt when it does not fit the model', async () => {
    const { alice } = await harness.start();
    const response = await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { prompt: 'A very long prompt' },
      headers: { 'x-sim-faults': 'overflow' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: 'urn:reins:problem:context-overflow' });
    expect(response.json().errors[0].field).toBe('prompt');
  });

  it('413 for a body over the limit', async () => {
    const { alice } = await harness.start({ env: { REINS_BODY_LIMIT_BYTES: '4096' } });
    const response = await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { prompt: 'x'.repeat(10_000) },
    });
    expect(response.statusCode).toBe(413);
  });

  it('5xx only for the provider failing, never for the caller', async () => {
    const { alice } = await harness.start();
    const response = await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { prompt: 'Hi' },
      headers: { 'x-sim-faults': '500' },
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(500);
    expect(response.json().type).toMatch(/^urn:reins:problem:upstream/);
  });

  it('logs one line per request: the call line, with the request under http', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (text: string) => lines.push(JSON.parse(text)) });
    const { alice } = await harness.start({ runtime: { logger } });
    const response = await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { prompt: 'Say hi', metadata: { userId: 'u-7' } },
      headers: { 'x-trace-id': 'trace-one-line' },
    });
    const body = response.json();
    const mine = lines.filter((line) => line['trace_id'] === 'trace-one-line');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      msg: 'request',
      event: 'llm.call',
      call_id: body.callId,
      attempt: 1,
      provider: 'openai',
      model: 'gpt-5.6-luna',
      prompt_tokens: body.usage.inputTokens,
      completion_tokens: body.usage.outputTokens,
      cached_tokens: 0,
      cache_write_tokens: 0,
      cost_usd: body.costUsd,
      estimated_input_tokens: body.estimate.inputTokens,
      latency_ms: expect.any(Number),
      ttft_ms: expect.any(Number),
      status: 'ok',
      error_class: null,
      template: null,
      template_version: null,
      finish_reason: expect.any(String),
      user_id: 'u-7',
      simulated: true,
      http: { method: 'POST', route: '/v1/generate', url: '/v1/generate', status: 200, owner: 'alice' },
    });
    expect(mine[0]!['http']).toHaveProperty('latency_ms');
  });

  it('logs every attempt of a retried call, and the failed call apart from its request', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (text: string) => lines.push(JSON.parse(text)) });
    const { alice } = await harness.start({ runtime: { logger } });
    await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { prompt: 'Hi' },
      headers: { 'x-trace-id': 'trace-retried', 'x-sim-faults': '500,ok;id=one-line-retried' },
    });
    const retried = lines.filter((line) => line['trace_id'] === 'trace-retried');
    expect(retried.map((line) => [line['msg'], line['event'], line['attempt']])).toEqual([
      ['llm attempt', 'llm.attempt', 1],
      ['llm attempt', 'llm.attempt', 2],
      ['request', 'llm.call', 2],
    ]);
    await alice({
      method: 'POST',
      url: '/v1/generate',
      payload: { prompt: 'A very long prompt' },
      headers: { 'x-trace-id': 'trace-refused', 'x-sim-faults': 'overflow' },
    });
    const refused = lines.filter((line) => line['trace_id'] === 'trace-refused');
    expect(refused.map((line) => [line['msg'], line['status']])).toEqual([
      ['llm attempt', 'error'],
      ['llm call', 'error'],
      ['request refused', 400],
      ['request', 400],
    ]);
  });

  it('402 once the key spent its daily budget, for that key only', async () => {
    const { alice, bob } = await harness.start({ env: { REINS_KEY_BUDGET_USD: '0.0000001' } });
    const send = (as: typeof alice) => as({ method: 'POST', url: '/v1/generate', payload: { prompt: 'Hi' } });
    expect((await send(alice)).statusCode).toBe(200);
    const refused = await send(alice);
    expect(refused.statusCode).toBe(402);
    expect(refused.json()).toMatchObject({ type: 'urn:reins:problem:budget-spent', budgetUsd: 0.0000001 });
    expect((await send(bob)).statusCode).toBe(200);
  });
});

describe('POST /v1/structured', () => {
  const schema = {
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
    required: ['name', 'age'],
    additionalProperties: false,
  };

  it('returns the validated object and the attempts', async () => {
    const { alice } = await harness.start();
    const response = await alice({
      method: 'POST',
      url: '/v1/structured',
      payload: { prompt: 'Extract the person: Ada, 36', schema },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.value).toEqual({ name: expect.any(String), age: expect.any(Number) });
    expect(body).toMatchObject({ attempts: 1, simulated: true });
  });

  it('400 naming schema when it is not a usable JSON Schema', async () => {
    const { alice } = await harness.start();
    const response = await alice({
      method: 'POST',
      url: '/v1/structured',
      payload: { prompt: 'x', schema: { type: 'no-such-type' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('schema');
  });
});
