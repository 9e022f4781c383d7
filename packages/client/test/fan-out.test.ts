import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { MapProgress } from '../src/index.ts';
import { faults, type Harness, MODELS, startHarness } from './helpers.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ client: { retry: { maxRetries: 0 } } });
});
afterAll(() => harness.close());

describe('map', () => {
  it('settles every item in input order with progress, failures included', async () => {
    const progress: MapProgress[] = [];
    const results = await harness.client.map(
      Array.from({ length: 20 }, (_, index) => index),
      (index) => ({
        model: MODELS[index % 2],
        prompt: `Item number ${index}`,
        maxTokens: 50,
        ...(index === 7 ? { headers: faults('500', 'map') } : {}),
      }),
      { concurrency: 4, onProgress: (event) => progress.push(event) },
    );
    expect(results).toHaveLength(20);
    expect(results[7]).toMatchObject({ status: 'rejected', reason: { name: 'ProviderError' } });
    for (const [index, result] of results.entries()) {
      if (index === 7) continue;
      expect(result.status).toBe('fulfilled');
      if (result.status === 'fulfilled') expect(result.value.model).toBe(MODELS[index % 2]);
    }
    expect(progress).toHaveLength(20);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ done: 20, failed: 1, inFlight: 0, total: 20, etaMs: 0 });
    expect(last.costUsd).toBeGreaterThan(0);
    expect(Math.max(...progress.map((event) => event.inFlight))).toBeLessThanOrEqual(3);
  });

  it('runs a task of several calls per item (generate, then structured), costs counted', async () => {
    const progress: MapProgress[] = [];
    const results = await harness.client.map(
      ['Oslo', 'Lima'],
      (city) =>
        async ({ generate, structured }) => {
          const answer = await generate({ model: MODELS[0], prompt: `Describe ${city}` });
          const grade = await structured({
            model: MODELS[1],
            prompt: `Grade this description from 1 to 5: ${answer.text}`,
            schema: z.object({ score: z.number().int().min(1).max(5) }),
          });
          return { city, score: grade.value.score, costUsd: (answer.costUsd ?? 0) + (grade.costUsd ?? 0) };
        },
      { onProgress: (event) => progress.push(event) },
    );
    const values = results.map((result) => (result.status === 'fulfilled' ? result.value : undefined));
    expect(values.map((value) => value?.city)).toEqual(['Oslo', 'Lima']);
    const total = values.reduce((sum, value) => sum + (value?.costUsd ?? 0), 0);
    expect(progress.at(-1)?.costUsd).toBeCloseTo(total, 12);
  });

  it('an aborted run rejects the items it did not start', async () => {
    const controller = new AbortController();
    const results = await harness.client.map([1, 2, 3, 4, 5, 6], () => ({ model: MODELS[0], prompt: 'Hi' }), {
      concurrency: 1,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 2) controller.abort(new Error('enough'));
      },
    });
    expect(results.slice(0, 2).every((result) => result.status === 'fulfilled')).toBe(true);
    expect(results.slice(2).every((result) => result.status === 'rejected')).toBe(true);
  });
});

describe('parallel', () => {
  it('returns named results, typed; settled mode reports each outcome', async () => {
    const { overview, keyPoints } = await harness.client.parallel({
      overview: { model: MODELS[0], prompt: 'Summarise the tides' },
      keyPoints: { model: MODELS[1], prompt: 'Key points about tides' },
    });
    expect(overview.text.length).toBeGreaterThan(0);
    expect(keyPoints.model).toBe(MODELS[1]);

    const settled = await harness.client.parallel(
      {
        good: { model: MODELS[0], prompt: 'Hi' },
        bad: { model: MODELS[1], prompt: 'Hi', headers: faults('529', 'par') },
      },
      { mode: 'settled' },
    );
    expect(settled.good.status).toBe('fulfilled');
    expect(settled.bad).toMatchObject({ status: 'rejected', reason: { status: 529 } });
    await expect(
      harness.client.parallel({
        good: { model: MODELS[0], prompt: 'Hi' },
        bad: { model: MODELS[1], prompt: 'Hi', headers: faults('529', 'par-all') },
      }),
    ).rejects.toMatchObject({ status: 529 });
  });
});

describe('variations', () => {
  it.each(MODELS)('gives distinct candidates on %s and picks the best by a scorer', async (model) => {
    const { best, bestIndex, candidates, scores } = await harness.client.variations(
      { model, prompt: 'A tagline for a bakery', temperature: 0.7 },
      { n: 3, temperatures: [0.2, 0.7, 1.1], select: (candidate) => candidate.text.length },
    );
    expect(candidates).toHaveLength(3);
    expect(new Set(candidates.map((candidate) => candidate.text)).size).toBe(3);
    expect(scores).toHaveLength(3);
    expect(best).toBe(candidates[bestIndex]);
    expect(best.text.length).toBe(Math.max(...candidates.map((candidate) => candidate.text.length)));
  });

  it('lets an LLM judge choose (a metered call tagged reins:judge)', async () => {
    const before = harness.client.meter.snapshot();
    const result = await harness.client.variations(
      { model: MODELS[0], prompt: 'A tagline for a bakery' },
      { n: 3, select: { judge: MODELS[1], rubric: 'short and warm' } },
    );
    expect(result.bestIndex).toBeGreaterThanOrEqual(0);
    expect(result.bestIndex).toBeLessThan(3);
    expect(result.best).toBe(result.candidates[result.bestIndex]);
    expect(result.judge?.costUsd).toBeGreaterThan(0);
    const after = harness.client.meter.snapshot();
    expect(after.calls - before.calls).toBe(4);
    expect(after.byTag['reins:judge']?.calls).toBe(1);
  });
});
