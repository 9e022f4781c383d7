import { startSimulator } from '@reins/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type StreamEvent } from '../src/index.ts';
import { sleep } from '../src/util/sleep.ts';
import { ANTHROPIC_KEY, faults, type Harness, MODELS, OPENAI_KEY, startHarness } from './helpers.ts';

// Waits are recorded and shortened to ≤ 5 ms, so the suite never sleeps for long.
const delays: number[] = [];
const quickSleep = (milliseconds: number, signal?: AbortSignal) => {
  delays.push(milliseconds);
  return sleep(Math.min(milliseconds, 5), signal);
};

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({
    client: {
      sleep: quickSleep,
      retry: { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 40 },
      timeout: { firstTokenMs: 300, idleMs: 300 },
      breaker: { failureThreshold: 1_000, minimumRequests: 1_000 },
    },
  });
});
afterAll(() => harness.close());

const attemptLines = (callId: string) =>
  harness.logs.filter((line) => line['event'] === 'llm.attempt' && line['call_id'] === callId);

describe.each(MODELS)('retries per failure class on %s', (model) => {
  it('429: waits what the headers say, retries, meters each attempt once under one callId', async () => {
    delays.length = 0;
    const before = harness.client.meter.snapshot();
    const result = await harness.client.generate({
      model,
      prompt: 'Hi',
      headers: faults('429,429,ok', 'rl'),
    });
    expect(result.attempts).toBe(3);
    expect(delays).toHaveLength(2);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(50);
    const lines = attemptLines(result.callId);
    expect(lines.map((line) => [line['attempt'], line['status'], line['error_class']])).toEqual([
      [1, 'error', 'RateLimitError'],
      [2, 'error', 'RateLimitError'],
      [3, 'ok', null],
    ]);
    const records = harness.records.filter((record) => record.callId === result.callId);
    expect(records).toHaveLength(3);
    // The simulator says so in a header: every record of an answered attempt is marked.
    expect(records[2]?.simulated).toBe(true);
    const after = harness.client.meter.snapshot();
    expect(after.inputTokens - before.inputTokens).toBe(result.usage.inputTokens);
  });

  it.each(['500', '503', '529', 'reset'])('%s: backs off and retries', async (step) => {
    const result = await harness.client.generate({
      model,
      prompt: 'Hi',
      headers: faults(`${step},ok`, step),
    });
    expect(result.attempts).toBe(2);
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('a stalled provider times out on firstTokenMs and is retried (generate and stream)', async () => {
    const generated = await harness.client.generate({
      model,
      prompt: 'Hi',
      headers: faults('stall,ok', 'st'),
    });
    expect(generated.attempts).toBe(2);
    expect(attemptLines(generated.callId)[0]).toMatchObject({ error_class: 'TimeoutError' });
    const streamed = await harness.client
      .stream({ model, prompt: 'Hi', headers: faults('stall,ok', 'sst') })
      .final();
    expect(streamed.attempts).toBe(2);
  });

  it('a provider that always stalls ends in TimeoutError (limit firstToken), never hangs', async () => {
    const started = performance.now();
    const request = {
      model,
      prompt: 'Hi',
      timeout: { firstTokenMs: 100 },
      headers: faults('stall', 'hang'),
    };
    const error = await harness.client.generate(request).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'TimeoutError', limit: 'firstToken' });
    const streamError = await harness.client
      .stream({ ...request, headers: faults('stall', 'shang') })
      .final()
      .catch((caught: unknown) => caught);
    expect(streamError).toMatchObject({ name: 'TimeoutError', limit: 'firstToken' });
    // 4 attempts × 100 ms each, twice, plus short waits.
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('totalMs bounds the whole call, retries included (not retryable)', async () => {
    const error = await harness.client
      .generate({
        model,
        prompt: 'Hi',
        timeout: { totalMs: 150, firstTokenMs: 100 },
        headers: faults('stall', 'total'),
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'TimeoutError', isRetryable: false });
  });

  it('context overflow (400): no retry; contextFallback answers', async () => {
    const before = harness.simulator.stats().httpRequests;
    const error = await harness.client
      .generate({ model, prompt: 'Hi', headers: faults('overflow', 'ov') })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ContextOverflowError' });
    expect(harness.simulator.stats().httpRequests - before).toBe(1);
    const other = model === MODELS[0] ? MODELS[1] : MODELS[0];
    const result = await harness.client.generate({
      model,
      prompt: 'Hi',
      headers: faults('overflow,ok', 'ovf'),
      contextFallback: other,
    });
    expect(result).toMatchObject({ model: other, fallbackFrom: model, attempts: 1 });
  });

  it('content filter: no retry, typed error; contentFallback answers', async () => {
    const before = harness.simulator.stats().httpRequests;
    const error = await harness.client
      .generate({ model, prompt: 'Hi', headers: faults('filter', 'cf') })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ContentFilterError' });
    expect(harness.simulator.stats().httpRequests - before).toBe(1);
    const result = await harness.client.generate({
      model,
      prompt: 'Hi',
      headers: faults('filter,ok', 'cff'),
      contentFallback: 'openai/gpt-5.6-terra',
    });
    expect(result).toMatchObject({ model: 'openai/gpt-5.6-terra', fallbackFrom: model });
  });

  it('404 (unknown model): never retried', async () => {
    const provider = model.split('/')[0];
    const before = harness.simulator.stats().httpRequests;
    const error = await harness.client
      .generate({ model: `${provider}/no-such-model`, prompt: 'Hi' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ProviderError', status: 404, isRetryable: false });
    expect(harness.simulator.stats().httpRequests - before).toBe(1);
  });

  it('stream error before any content: retried transparently', async () => {
    const events: StreamEvent[] = [];
    for await (const event of harness.client.stream({
      model,
      prompt: 'Hi',
      headers: faults('500,reset,ok', 'sb'),
    }))
      events.push(event);
    expect(events.filter((event) => event.type === 'restart')).toHaveLength(0);
    const finish = events.at(-1);
    expect(finish).toMatchObject({ type: 'finish', result: { attempts: 3 } });
  });

  it('stream error after content: StreamInterruptedError with the partial text and usage', async () => {
    const error = await harness.client
      .stream({ model, prompt: 'Tell me about rivers', headers: faults('cut', 'sa') })
      .final()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'StreamInterruptedError' });
    expect((error as { partialText: string }).partialText.length).toBeGreaterThan(0);
  });

  it("resumeStrategy 'restart': a restart event, then the whole answer again", async () => {
    const events: StreamEvent[] = [];
    for await (const event of harness.client.stream({
      model,
      prompt: 'Tell me about rivers',
      headers: faults('error-event,ok', 'rs'),
      resumeStrategy: 'restart',
    }))
      events.push(event);
    const restart = events.findIndex((event) => event.type === 'restart');
    expect(restart).toBeGreaterThan(0);
    const after = events
      .slice(restart)
      .flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []))
      .join('');
    const finish = events.at(-1);
    expect(finish).toMatchObject({ type: 'finish', result: { attempts: 2 } });
    expect(after).toBe((finish as { result: { text: string } }).result.text);
  });
});

describe('auth', () => {
  it('401: never retried, AuthError', async () => {
    const simulator = await startSimulator({ port: 0, keys: ['the-right-key'] });
    try {
      const client = createClient({
        providers: { openai: { apiKey: OPENAI_KEY, baseURL: `${simulator.url}/v1` } },
        logger: false,
        retry: { initialDelayMs: 1 },
      });
      const error = await client
        .generate({ model: 'openai/gpt-5.6-luna', prompt: 'Hi' })
        .catch((caught) => caught);
      expect(error).toMatchObject({ name: 'AuthError', isRetryable: false });
      expect(simulator.stats().httpRequests).toBe(1);
    } finally {
      await simulator.close();
    }
  });
});

describe('circuit breaker and fallbacks', () => {
  it('open → fail fast without a request → half-open probe → closed (injected clock)', async () => {
    let clock = 1_000_000;
    const simulator = await startSimulator({ port: 0 });
    try {
      const client = createClient({
        providers: { openai: { apiKey: OPENAI_KEY, baseURL: `${simulator.url}/v1` } },
        logger: false,
        now: () => clock,
        retry: { maxRetries: 0 },
        breaker: { failureThreshold: 2, cooldownMs: 30_000 },
      });
      const model = 'openai/gpt-5.6-luna';
      const headers = faults('500,500,ok', 'br');
      for (let index = 0; index < 2; index++)
        await expect(client.generate({ model, prompt: 'Hi', headers })).rejects.toMatchObject({
          status: 500,
        });
      expect((await client.health()).breakers[model]).toMatchObject({ state: 'open', retryInMs: 30_000 });
      const requests = simulator.stats().requests;
      const started = performance.now();
      const error = await client.generate({ model, prompt: 'Hi', headers }).catch((caught) => caught);
      const elapsed = performance.now() - started;
      expect(error).toMatchObject({ name: 'CircuitOpenError' });
      expect(elapsed).toBeLessThan(20);
      expect(simulator.stats().requests).toBe(requests);
      clock += 30_000;
      const probe = await client.generate({ model, prompt: 'Hi', headers });
      expect(probe.text.length).toBeGreaterThan(0);
      expect((await client.health()).breakers[model]).toMatchObject({ state: 'closed' });
    } finally {
      await simulator.close();
    }
  });

  it('across providers: openai down (retries exhausted, then breaker open) → anthropic answers', async () => {
    const simulator = await startSimulator({ port: 0 });
    try {
      const client = createClient({
        providers: {
          openai: { apiKey: OPENAI_KEY, baseURL: `${simulator.url}/v1` },
          anthropic: { apiKey: ANTHROPIC_KEY, baseURL: simulator.url },
        },
        logger: false,
        sleep: quickSleep,
        retry: { maxRetries: 1, initialDelayMs: 1 },
        breaker: { failureThreshold: 2 },
        fallbacks: { 'openai/gpt-5.6-luna': ['anthropic/claude-haiku-4-5'] },
      });
      const primary = 'openai/gpt-5.6-luna';
      // The same header value walks one sequence: two 503s for openai, then ok for anthropic.
      const result = await client.generate({
        model: primary,
        prompt: 'Hi',
        headers: faults('503,503,ok', 'fb'),
      });
      expect(result).toMatchObject({ model: 'anthropic/claude-haiku-4-5', fallbackFrom: primary });
      expect((await client.health()).breakers[primary]).toMatchObject({ state: 'open' });
      // Now the breaker is open: straight to the fallback, streaming too.
      const streamed = await client.stream({ model: primary, prompt: 'Hi' }).final();
      expect(streamed).toMatchObject({
        model: 'anthropic/claude-haiku-4-5',
        fallbackFrom: primary,
        attempts: 1,
      });
    } finally {
      await simulator.close();
    }
  });
});

describe('rate limiter and budget', () => {
  it('holds a simulator limit: no 429s, and the run takes as long as the limit requires', async () => {
    const simulator = await startSimulator({ port: 0, rateLimits: { rpm: 1_200 } });
    try {
      const client = createClient({
        providers: { openai: { apiKey: OPENAI_KEY, baseURL: `${simulator.url}/v1` } },
        logger: false,
        limits: { 'openai/gpt-5.6-luna': { rpm: 1_200 } },
      });
      const started = performance.now();
      const results = await client.map(
        Array.from({ length: 1_240 }, (_, index) => index),
        (index) => ({ model: 'openai/gpt-5.6-luna', prompt: `Item ${index}`, maxTokens: 20 }),
        { concurrency: 64 },
      );
      const elapsed = performance.now() - started;
      expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
      expect(simulator.stats().rateLimited).toBe(0);
      // 1,200 in the initial burst, then 40 at 20 per second: at least ~2 s.
      expect(elapsed).toBeGreaterThan(1_800);
    } finally {
      await simulator.close();
    }
  });

  it('learns the limit from the headers when none is configured', async () => {
    const simulator = await startSimulator({ port: 0, rateLimits: { rpm: 60 } });
    try {
      const client = createClient({
        providers: { anthropic: { apiKey: ANTHROPIC_KEY, baseURL: simulator.url } },
        logger: false,
        retry: { maxRetries: 0 },
      });
      await client.generate({ model: 'anthropic/claude-haiku-4-5', prompt: 'Hi' });
      // 59 left in the bucket: 59 more go through, the 60th+1 waits instead of getting a 429.
      const results = await client.map(
        Array.from({ length: 59 }, (_, index) => index),
        () => ({ model: 'anthropic/claude-haiku-4-5', prompt: 'Hi' }),
        { concurrency: 8 },
      );
      expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
      const controller = new AbortController();
      const waiting = client.generate({
        model: 'anthropic/claude-haiku-4-5',
        prompt: 'Hi',
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(new Error('gave up waiting')), 100);
      await expect(waiting).rejects.toThrow('gave up waiting');
      expect(simulator.stats().rateLimited).toBe(0);
    } finally {
      await simulator.close();
    }
  });

  it('budget: refuses before sending when spent + worst case would pass it (client and map)', async () => {
    const client = createClient({
      providers: { openai: { apiKey: OPENAI_KEY, baseURL: `${harness.simulator.url}/v1` } },
      logger: false,
      budgetUsd: 0.001,
    });
    const before = harness.simulator.stats().requests;
    const error = await client
      .generate({ model: 'openai/gpt-5.6-sol', prompt: 'Hi', maxTokens: 10_000 })
      .catch((caught) => caught);
    expect(error).toMatchObject({ name: 'BudgetExceededError', budgetUsd: 0.001, spentUsd: 0 });
    expect(harness.simulator.stats().requests).toBe(before);

    const progress: number[] = [];
    const results = await harness.client.map(
      [1, 2, 3, 4, 5],
      () => ({ model: 'openai/gpt-5.6-luna', prompt: 'Hi', maxTokens: 100 }),
      { concurrency: 1, budgetUsd: 0.0012, onProgress: (event) => progress.push(event.costUsd) },
    );
    const refused = results.filter(
      (result) => result.status === 'rejected' && (result.reason as Error).name === 'BudgetExceededError',
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(results[0]!.status).toBe('fulfilled');
    expect(Math.max(...progress)).toBeLessThanOrEqual(0.0012);
  });
});
