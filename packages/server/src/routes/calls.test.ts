import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/helpers/test-app.ts';

const harness = useTestApp();

async function generate(
  as: (request: object) => Promise<{ json(): { callId: string } }>,
  traceId: string,
  extra = {},
) {
  const response = await as({
    method: 'POST',
    url: '/v1/generate',
    payload: { prompt: `Question for ${traceId}`, ...extra },
    headers: { 'x-trace-id': traceId },
  });
  return response.json();
}

describe('call log routes', () => {
  it('lists, filters and shows calls, each key seeing only its own', async () => {
    const { alice, bob } = await harness.start();
    const first = await generate(alice, 'trace-a1', { metadata: { userId: 'u1', tags: ['red'] } });
    await generate(alice, 'trace-a2', { model: 'anthropic/claude-haiku-4-5' });
    const bobs = await generate(bob, 'trace-b1');

    const all = await alice({ method: 'GET', url: '/v1/calls' });
    expect(all.statusCode).toBe(200);
    expect(all.json().items).toHaveLength(2);
    expect(all.json().items[0]).toMatchObject({
      traceId: 'trace-a2',
      provider: 'anthropic',
      simulated: true,
    });
    expect(all.json().items[1].promptText).toContain('Question for trace-a1');

    const filtered = await alice({
      method: 'GET',
      url: '/v1/calls?userId=u1&tag=red&model=openai/gpt-5.6-luna',
    });
    expect(filtered.json().items.map((item: { callId: string }) => item.callId)).toEqual([first.callId]);
    const searched = await alice({ method: 'GET', url: '/v1/calls?search=trace-a2' });
    expect(searched.json().items).toHaveLength(1);

    const page = await alice({ method: 'GET', url: '/v1/calls?limit=1' });
    expect(page.json().nextCursor).toEqual(expect.any(String));
    const next = await alice({ method: 'GET', url: `/v1/calls?limit=1&cursor=${page.json().nextCursor}` });
    expect(next.json().items[0].traceId).toBe('trace-a1');

    const detail = await alice({ method: 'GET', url: `/v1/calls/${first.callId}` });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().attempts).toHaveLength(1);
    expect((await alice({ method: 'GET', url: `/v1/calls/${bobs.callId}` })).statusCode).toBe(404);
    expect((await bob({ method: 'GET', url: '/v1/calls' })).json().items).toHaveLength(1);
  });

  it('400 naming the bad filter', async () => {
    const { alice } = await harness.start();
    const since = await alice({ method: 'GET', url: '/v1/calls?since=yesterday-ish' });
    expect(since.statusCode).toBe(400);
    expect(since.json().errors[0]).toMatchObject({ in: 'querystring', field: 'since' });
    const cursor = await alice({ method: 'GET', url: '/v1/calls?cursor=garbage' });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().errors[0].field).toBe('cursor');
    const status = await alice({ method: 'GET', url: '/v1/calls?status=maybe&limit=0' });
    expect(
      status
        .json()
        .errors.map((error: { field: string }) => error.field)
        .sort(),
    ).toEqual(['limit', 'status']);
  });

  it('shows a trace: its calls and tasks in order, for its owner only', async () => {
    const { alice, bob } = await harness.start();
    await generate(alice, 'trace-shared');
    await generate(alice, 'trace-shared', { model: 'anthropic/claude-haiku-4-5' });
    const task = await alice({
      method: 'POST',
      url: '/v1/tasks',
      payload: { kind: 'generate', input: { prompt: 'In the background' } },
      headers: { 'x-trace-id': 'trace-shared' },
    });
    expect(task.statusCode).toBe(202);
    const trace = await alice({ method: 'GET', url: '/v1/traces/trace-shared' });
    expect(trace.statusCode).toBe(200);
    expect(
      trace
        .json()
        .calls.map((call: { provider: string }) => call.provider)
        .slice(0, 2),
    ).toEqual(['openai', 'anthropic']);
    expect(trace.json().tasks.map((item: { id: string }) => item.id)).toEqual([task.json().id]);
    expect((await bob({ method: 'GET', url: '/v1/traces/trace-shared' })).statusCode).toBe(404);
    expect((await alice({ method: 'GET', url: '/v1/traces/nothing-here' })).statusCode).toBe(404);
  });

  it('reports usage by day, model, user and template, per key', async () => {
    const { alice, bob } = await harness.start();
    await generate(alice, 't1', { metadata: { userId: 'u1' } });
    await generate(alice, 't2', { metadata: { userId: 'u2' }, model: 'anthropic/claude-haiku-4-5' });
    await generate(bob, 't3');
    const usage = await alice({ method: 'GET', url: '/v1/usage?since=1d' });
    expect(usage.statusCode).toBe(200);
    const body = usage.json();
    expect(body.totals.calls).toBe(2);
    expect(body.totals.costUsd).toBeGreaterThan(0);
    expect(body.byModel.map((group: { key: string }) => group.key).sort()).toEqual([
      'anthropic/claude-haiku-4-5',
      'openai/gpt-5.6-luna',
    ]);
    expect(body.byModel[0].cacheSavingsUsd).toEqual(expect.any(Number));
    expect(body.byUser.map((group: { key: string }) => group.key).sort()).toEqual(['u1', 'u2']);
    expect(body.byDay).toHaveLength(1);
    expect(body.byTemplate).toEqual([expect.objectContaining({ key: null, calls: 2 })]);
    expect((await bob({ method: 'GET', url: '/v1/usage' })).json().totals.calls).toBe(1);
    expect((await alice({ method: 'GET', url: '/v1/usage?until=never' })).statusCode).toBe(400);
  });
});
