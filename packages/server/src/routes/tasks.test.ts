import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually } from '../../test/helpers/services.ts';
import { useTestApp } from '../../test/helpers/test-app.ts';
import { createTaskKinds } from '../queue/task-kinds.ts';
import { defineTaskKind } from '../queue/task-queue.ts';

const harness = useTestApp();

/** The real kinds plus `hang`, which runs until cancelled, so cancel can be tested at the route. */
const withHang = {
  kinds: (llm: Parameters<typeof createTaskKinds>[0]) => ({
    ...createTaskKinds(llm),
    hang: defineTaskKind({
      input: z.object({}),
      run: (_input, { signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
    }),
  }),
};

type As = Awaited<ReturnType<typeof harness.start>>['alice'];

async function settled(as: As, id: string) {
  return eventually(async () => {
    const task = (await as({ method: 'GET', url: `/v1/tasks/${id}` })).json();
    return ['queued', 'running'].includes(task.status) ? undefined : task;
  });
}

describe('task routes', () => {
  it('accepts a generate task with 202 and a Location, then reports its result', async () => {
    const { alice } = await harness.start();
    const accepted = await alice({
      method: 'POST',
      url: '/v1/tasks',
      payload: {
        kind: 'generate',
        input: { prompt: 'Summarise this', metadata: { userId: 'u1' } },
        priority: 80,
      },
    });
    expect(accepted.statusCode).toBe(202);
    const { id, status, links } = accepted.json();
    expect(status).toBe('queued');
    expect(accepted.headers.location).toBe(`/v1/tasks/${id}`);
    expect(links).toEqual({ self: `/v1/tasks/${id}`, cancel: `/v1/tasks/${id}` });
    const task = await settled(alice, id);
    expect(task).toMatchObject({
      kind: 'generate',
      status: 'succeeded',
      priority: 80,
      attempts: 1,
      result: { simulated: true, text: expect.any(String) },
      usage: { inputTokens: expect.any(Number) },
      costUsd: expect.any(Number),
      error: null,
      links: { self: `/v1/tasks/${id}` },
    });
    expect(task.timings.runMs).toBeGreaterThanOrEqual(0);
    const calls = await alice({ method: 'GET', url: `/v1/calls?taskId=${id}` });
    expect(calls.json().items).toHaveLength(1);
    expect(calls.json().items[0].traceId).toBe(task.traceId);
  });

  it('runs a template task, and records a render failure as the task error', async () => {
    const { alice } = await harness.start();
    const ok = await alice({
      method: 'POST',
      url: '/v1/tasks',
      payload: {
        kind: 'template',
        input: {
          template: 'contract_summary',
          variables: {
            contract_title: 'MSA',
            parties: 'A, B',
            contract_date: '2025',
            contract_type: 'NDA',
            contract_content: 'x',
          },
        },
      },
    });
    const missing = await alice({
      method: 'POST',
      url: '/v1/tasks',
      payload: { kind: 'template', input: { template: 'contract_summary', variables: {} } },
    });
    expect((await settled(alice, ok.json().id)).result.template.name).toBe('contract_summary');
    expect(await settled(alice, missing.json().id)).toMatchObject({
      status: 'failed',
      error: { class: 'TemplateVariablesError', retryable: false },
    });
  });

  it('400 naming the kind or the bad input field', async () => {
    const { alice } = await harness.start();
    const kind = await alice({
      method: 'POST',
      url: '/v1/tasks',
      payload: { kind: 'mine-bitcoin', input: {} },
    });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().errors[0]).toMatchObject({
      field: 'kind',
      detail: expect.stringContaining('generate'),
    });
    const input = await alice({
      method: 'POST',
      url: '/v1/tasks',
      payload: { kind: 'generate', input: { prompt: 5, temperature: 'hot' } },
    });
    expect(
      input
        .json()
        .errors.map((error: { field: string }) => error.field)
        .sort(),
    ).toEqual(['input.prompt', 'input.temperature']);
    const shape = await alice({
      method: 'POST',
      url: '/v1/tasks',
      payload: { kind: 'generate', input: [], priority: 500 },
    });
    expect(
      shape
        .json()
        .errors.map((error: { field: string }) => error.field)
        .sort(),
    ).toEqual(['input', 'priority']);
  });

  it('lists with filters and pagination, and isolates keys', async () => {
    const { alice, bob } = await harness.start();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await alice({
        method: 'POST',
        url: '/v1/tasks',
        payload: { kind: 'generate', input: { prompt: `p${index}` } },
      });
      ids.push(response.json().id);
    }
    const bobs = await bob({
      method: 'POST',
      url: '/v1/tasks',
      payload: { kind: 'generate', input: { prompt: 'bob' } },
    });
    for (const id of ids) await settled(alice, id);
    const page = await alice({ method: 'GET', url: '/v1/tasks?limit=2&kind=generate&status=succeeded' });
    expect(page.json().items.map((task: { id: string }) => task.id)).toEqual([ids[2], ids[1]]);
    const next = await alice({ method: 'GET', url: `/v1/tasks?limit=2&cursor=${page.json().nextCursor}` });
    expect(next.json().items.map((task: { id: string }) => task.id)).toEqual([ids[0]]);
    expect((await alice({ method: 'GET', url: `/v1/tasks/${bobs.json().id}` })).statusCode).toBe(404);
    expect((await alice({ method: 'DELETE', url: `/v1/tasks/${bobs.json().id}` })).statusCode).toBe(404);
    expect((await bob({ method: 'GET', url: '/v1/tasks' })).json().items).toHaveLength(1);
    expect((await alice({ method: 'GET', url: '/v1/tasks?status=done' })).json().errors[0].field).toBe(
      'status',
    );
  });

  it('cancels a running task (aborting it) and refuses to cancel a finished one', async () => {
    const { alice } = await harness.start({ runtime: withHang });
    const running = await alice({ method: 'POST', url: '/v1/tasks', payload: { kind: 'hang', input: {} } });
    const id = running.json().id;
    await eventually(async () =>
      (await alice({ method: 'GET', url: `/v1/tasks/${id}` })).json().status === 'running' ? true : undefined,
    );
    const cancelled = await alice({ method: 'DELETE', url: `/v1/tasks/${id}` });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', links: { self: `/v1/tasks/${id}` } });
    expect(cancelled.json().links.cancel).toBeUndefined();
    const again = await alice({ method: 'DELETE', url: `/v1/tasks/${id}` });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      type: 'urn:reins:problem:conflict',
      status: 409,
      taskStatus: 'cancelled',
    });
    expect((await alice({ method: 'GET', url: '/v1/tasks/no-such-task' })).statusCode).toBe(404);
  });

  it('times out a task past its timeoutMs', async () => {
    const { alice } = await harness.start({ runtime: withHang });
    const response = await alice({
      method: 'POST',
      url: '/v1/tasks',
      payload: { kind: 'hang', input: {}, timeoutMs: 150 },
    });
    expect(await settled(alice, response.json().id)).toMatchObject({ status: 'timed_out' });
  });
});
