import { describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/services.ts';
import { useTestApp } from '../../test/helpers/test-app.ts';

const harness = useTestApp();

type As = Awaited<ReturnType<typeof harness.start>>['alice'];

const CONTRACT = {
  template: 'contract_summary',
  variables: {
    contract_title: 'MSA',
    parties: 'A, B',
    contract_date: '2025',
    contract_type: 'NDA',
    contract_content: 'x',
  },
};

async function submit(as: As, input: unknown) {
  return as({ method: 'POST', url: '/v1/tasks', payload: { kind: 'batch', input } });
}

async function settled(as: As, id: string) {
  return eventually(async () => {
    const task = (await as({ method: 'GET', url: `/v1/tasks/${id}` })).json();
    return ['queued', 'running'].includes(task.status) ? undefined : task;
  });
}

describe('batch tasks', () => {
  it('runs prompt and template items in input order, with per-item results and summed usage and cost', async () => {
    const { alice, bob } = await harness.start();
    const accepted = await submit(alice, {
      items: [{ prompt: 'first' }, CONTRACT, { prompt: 'third', metadata: { tags: ['mine'] } }],
      concurrency: 3,
    });
    expect(accepted.statusCode).toBe(202);
    const id = accepted.json().id;
    const task = await settled(alice, id);
    expect(task).toMatchObject({ kind: 'batch', status: 'succeeded', error: null });
    const { results, usage, costUsd } = task.result;
    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result).toEqual({
        status: 'fulfilled',
        text: expect.any(String),
        usage: expect.objectContaining({ inputTokens: expect.any(Number) }),
        costUsd: expect.any(Number),
        callId: expect.any(String),
      });
    }
    const itemCost = results.reduce((sum: number, result: { costUsd: number }) => sum + result.costUsd, 0);
    expect(costUsd).toBeCloseTo(itemCost, 10);
    expect(task.costUsd).toBeCloseTo(itemCost, 10);
    expect(usage.outputTokens).toBe(
      results.reduce(
        (sum: number, result: { usage: { outputTokens: number } }) => sum + result.usage.outputTokens,
        0,
      ),
    );
    expect(task.usage.inputTokens).toBe(usage.inputTokens);
    expect(task.progress).toMatchObject({
      done: 3,
      failed: 0,
      total: 3,
      costUsd: expect.closeTo(itemCost, 10),
    });

    // Input order: each result's call is the call of that item; every call carries the owner.
    const calls = (await alice({ method: 'GET', url: `/v1/calls?taskId=${id}` })).json().items;
    expect(calls).toHaveLength(3);
    type Call = {
      callId: string;
      promptText: string;
      responseText: string;
      template: unknown;
      tags: string[];
    };
    const byId = new Map<string, Call>(calls.map((call: Call) => [call.callId, call]));
    const [first, second, third] = results.map((result: { callId: string }) => byId.get(result.callId)!);
    expect(first!.promptText).toContain('first');
    expect(second).toMatchObject({ template: { name: 'contract_summary' } });
    expect(third!.promptText).toContain('third');
    expect(third!.tags).toEqual(['mine', 'owner:alice']);
    results.forEach((result: { text: string; callId: string }) => {
      expect(result.text).toBe(byId.get(result.callId)!.responseText);
    });
    expect(third).toMatchObject({ traceId: task.traceId });
    expect((await bob({ method: 'GET', url: `/v1/calls?taskId=${id}` })).json().items).toHaveLength(0);
    expect((await bob({ method: 'GET', url: `/v1/tasks/${id}` })).statusCode).toBe(404);
  });

  it('settles a failing item as rejected with its problem type, the others still answer', async () => {
    const { alice } = await harness.start();
    const accepted = await submit(alice, {
      items: [
        { prompt: 'fine' },
        { template: 'contract_summary', variables: {} },
        { prompt: 'elsewhere', model: 'nowhere/model-x' },
        { template: 'no_such_template' },
        CONTRACT,
      ],
    });
    const task = await settled(alice, accepted.json().id);
    expect(task.status).toBe('succeeded');
    const { results } = task.result;
    expect(results.map((result: { status: string }) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(results[1].error).toEqual({
      type: 'urn:reins:problem:missing-variables',
      message: expect.stringContaining('contract_title'),
    });
    expect(results[2].error).toMatchObject({ type: 'urn:reins:problem:unknown-model' });
    expect(results[3].error).toMatchObject({ type: 'urn:reins:problem:template-not-found' });
    expect(task.progress).toMatchObject({ done: 5, failed: 3, total: 5 });
    expect(task.result.costUsd).toBeCloseTo(results[0].costUsd + results[4].costUsd, 10);
  });

  it('400 naming the bad item field, the item count, concurrency and budget', async () => {
    const { alice } = await harness.start();
    const fields = async (input: unknown) => {
      const response = await submit(alice, input);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      return response
        .json()
        .errors.map((error: { field: string }) => error.field)
        .sort();
    };
    expect(
      await fields({
        items: [{ prompt: 'a' }, CONTRACT, { prompt: 'c' }, { prompt: 5 }, { prompt: 'e', temperature: 9 }],
      }),
    ).toEqual(['input.items.3.prompt', 'input.items.4.temperature']);
    expect(await fields({ items: [{}] })).toEqual(['input.items.0.prompt']);
    expect(await fields({ items: [{ prompt: 'a', bogus: 1 }] })).toEqual(['input.items.0.bogus']);
    expect(await fields({ items: [] })).toEqual(['input.items']);
    expect(await fields({})).toEqual(['input.items']);
    expect(await fields({ items: Array.from({ length: 10_001 }, () => ({ prompt: 'x' })) })).toEqual([
      'input.items',
    ]);
    expect(await fields({ items: [{ prompt: 'a' }], concurrency: 65, budgetUsd: -1 })).toEqual([
      'input.budgetUsd',
      'input.concurrency',
    ]);
    const spec = (await alice({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.paths['/v1/tasks'].post.description).toContain('`batch`');
  });

  it('rejects items past the run budget as budget-exceeded', async () => {
    const { alice } = await harness.start();
    const accepted = await submit(alice, {
      items: [{ prompt: 'a' }, { prompt: 'b' }],
      budgetUsd: 1e-9,
    });
    const task = await settled(alice, accepted.json().id);
    expect(task.status).toBe('succeeded');
    expect(task.result.results.map((result: { status: string }) => result.status)).toEqual([
      'rejected',
      'rejected',
    ]);
    expect(task.result.results[0].error.type).toBe('urn:reins:problem:budget-exceeded');
    expect(task.result.costUsd).toBe(0);
  });

  it('shows progress while running, and cancel aborts the running calls', async () => {
    const { alice } = await harness.start({ env: { REINS_SIMULATOR_PROFILE: 'realistic' } });
    const accepted = await submit(alice, {
      items: Array.from({ length: 6 }, (_, index) => ({ prompt: `item ${index}`, maxTokens: 20 })),
      concurrency: 1,
    });
    const id = accepted.json().id;
    const running = await eventually(async () => {
      const task = (await alice({ method: 'GET', url: `/v1/tasks/${id}` })).json();
      return task.status === 'running' && task.progress?.done >= 1 ? task : undefined;
    }, 20_000);
    expect(running.progress).toMatchObject({ total: 6, failed: 0, costUsd: expect.any(Number) });
    expect(running.progress.done).toBeLessThan(6);
    expect(running.progress.costUsd).toBeGreaterThan(0);

    const started = Date.now();
    const cancelled = await alice({ method: 'DELETE', url: `/v1/tasks/${id}` });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1_000);
    // The call in flight was aborted and no further item started: well past a realistic call's
    // latency, the task has made at most the calls it had started when cancelled.
    const calls = async () => (await alice({ method: 'GET', url: `/v1/calls?taskId=${id}` })).json().items;
    const atCancel = running.progress.done + 1;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const made = await calls();
    expect(made.length).toBeLessThanOrEqual(atCancel + 1);
    // The call in flight is in the log as aborted by the cancel.
    expect(made.map((call: { errorClass: string | null }) => call.errorClass)).toContain(
      'TaskCancelledError',
    );
    expect(made.length).toBeLessThan(6);
    expect((await alice({ method: 'GET', url: `/v1/tasks/${id}` })).json().status).toBe('cancelled');
  }, 30_000);
});

describe('batch resume', () => {
  it('after a shutdown mid-batch, the next attempt runs only the items not settled, results in input order', async () => {
    const { alice, deps } = await harness.start({ env: { REINS_SIMULATOR_PROFILE: 'realistic' } });
    const simulator = deps.server.runtime.simulator!;
    const total = 8;
    const accepted = await submit(alice, {
      items: Array.from({ length: total }, (_, index) => ({ prompt: `item ${index}`, maxTokens: 20 })),
      concurrency: 2,
    });
    const id = accepted.json().id;
    await eventually(async () => {
      const task = (await alice({ method: 'GET', url: `/v1/tasks/${id}` })).json();
      return task.status === 'running' && task.progress?.done >= 3 ? task : undefined;
    }, 20_000);

    // Shutdown with no grace: the calls in flight are aborted and the task goes back to the queue.
    await deps.server.queue.stop({ graceMs: 0 });
    const requestsBefore = simulator.stats().requests;
    const stored = (await deps.server.queue.get(id))!;
    expect(stored.status).toBe('queued');
    const checkpoint = (stored.progress as { $checkpoint: { results: Array<{ callId?: string } | null> } })
      .$checkpoint;
    const settledBefore = checkpoint.results.flatMap((result, index) => (result === null ? [] : [index]));
    expect(settledBefore.length).toBeGreaterThanOrEqual(3);
    expect(settledBefore.length).toBeLessThan(total);
    // The API shows progress, never the checkpoint.
    const queued = (await alice({ method: 'GET', url: `/v1/tasks/${id}` })).json();
    expect(queued.progress).not.toHaveProperty('$checkpoint');
    expect(queued.progress.done).toBe(settledBefore.length);

    await deps.server.queue.start();
    const task = await settled(alice, id);
    expect(task.status).toBe('succeeded');
    expect(task.progress).toEqual({
      done: total,
      failed: 0,
      inFlight: 0,
      total,
      costUsd: expect.any(Number),
    });
    // One request per item not settled before, none for the settled ones.
    expect(simulator.stats().requests - requestsBefore).toBe(total - settledBefore.length);
    const { results } = task.result;
    expect(results).toHaveLength(total);
    for (const index of settledBefore) expect(results[index].callId).toBe(checkpoint.results[index]!.callId);

    // Input order, and every item answered once.
    const calls = await eventually(async () => {
      const items = (await alice({ method: 'GET', url: `/v1/calls?taskId=${id}&status=ok` })).json().items;
      return items.length === total ? items : undefined;
    });
    const byId = new Map<string, { promptText: string }>(
      calls.map((call: { callId: string; promptText: string }) => [call.callId, call]),
    );
    results.forEach((result: { callId: string }, index: number) => {
      expect(byId.get(result.callId)!.promptText).toContain(`item ${index}`);
    });
    // Usage and cost add up over both attempts.
    const sum = (pick: (result: { costUsd: number; usage: { outputTokens: number } }) => number) =>
      results.reduce((total: number, result: never) => total + pick(result), 0);
    expect(task.usage.outputTokens).toBe(sum((result) => result.usage.outputTokens));
    expect(task.result.usage.outputTokens).toBe(task.usage.outputTokens);
    expect(task.costUsd).toBeGreaterThanOrEqual(sum((result) => result.costUsd) - 1e-12);
    expect(task.result.costUsd).toBeCloseTo(task.costUsd, 10);
  }, 40_000);
});
