import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faults, type Harness, MODELS, startHarness } from './helpers.ts';

let harness: Harness;
beforeAll(async () => {
  // Retries and the breaker off: each fault must surface as its typed error (resilience.test.ts
  // covers what the client does with them).
  harness = await startHarness({
    simulator: { retryAfterMs: 1500 },
    client: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1_000, minimumRequests: 1_000 } },
  });
});
afterAll(() => harness.close());

describe.each(MODELS)(
  'provider failures on %s become typed errors (one attempt each, retries off)',
  (model) => {
    it('429 → RateLimitError with retryAfterMs', async () => {
      const error = await harness.client
        .generate({ model, prompt: 'Hi', headers: faults('429', 'rl') })
        .catch((caught) => caught);
      expect(error).toMatchObject({
        name: 'RateLimitError',
        status: 429,
        isRetryable: true,
        retryAfterMs: 1500,
      });
    });

    it.each(['500', '503', '529'])('%s → retryable ProviderError', async (status) => {
      const error = await harness.client
        .generate({ model, prompt: 'Hi', headers: faults(status, `s${status}`) })
        .catch((caught) => caught);
      expect(error).toMatchObject({ name: 'ProviderError', status: Number(status), isRetryable: true });
    });

    it('a reset connection → retryable ProviderError', async () => {
      const error = await harness.client
        .generate({ model, prompt: 'Hi', headers: faults('reset', 'reset') })
        .catch((caught) => caught);
      expect(error).toMatchObject({ name: 'ProviderError', isRetryable: true });
    });

    it("the provider's own context-length 400 → ContextOverflowError", async () => {
      const error = await harness.client
        .generate({ model, prompt: 'Hi', headers: faults('overflow', 'of') })
        .catch((caught) => caught);
      expect(error).toMatchObject({ name: 'ContextOverflowError', status: 400, isRetryable: false });
    });

    it('a filtered answer → ContentFilterError, billed and metered', async () => {
      harness.simulator.reset();
      harness.client.meter.reset();
      const error = await harness.client
        .generate({ model, prompt: 'Tell me about tides', headers: faults('filter', 'filter') })
        .catch((caught) => caught);
      expect(error).toMatchObject({ name: 'ContentFilterError', isRetryable: false });
      expect((error as { partialText: string }).partialText.length).toBeGreaterThan(0);
      const stats = harness.simulator.stats();
      expect((error as { usage: { outputTokens: number } }).usage.outputTokens).toBe(stats.outputTokens);
      expect(harness.client.meter.snapshot()).toMatchObject({
        attempts: 1,
        outputTokens: stats.outputTokens,
      });
      expect(harness.records.at(-1)).toMatchObject({ status: 'error', errorClass: 'ContentFilterError' });
    });

    it('an error event before any content in a stream surfaces as a typed error event', async () => {
      const stream = harness.client.stream({ model, prompt: 'Hi', headers: faults('error-event', 'ee') });
      const events: Array<{ type: string; error?: unknown }> = [];
      for await (const event of stream) events.push(event);
      const last = events.at(-1)!;
      expect(last.type).toBe('error');
      expect(last.error).toMatchObject({ isRetryable: true });
    });
  },
);
