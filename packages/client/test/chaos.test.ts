import { startSimulator } from '@reins/simulator';
import { expect, it } from 'vitest';
import { createClient, ReinsError } from '../src/index.ts';
import { ANTHROPIC_KEY, MODELS, OPENAI_KEY } from './helpers.ts';

// 30% of requests fail, in every way the simulator knows; rates drawn from a seeded PRNG.
const FAULTS = '429:0.05,500:0.05,503:0.04,529:0.04,reset:0.03,cut:0.04,stall:0.02,error-event:0.03';

it('chaos: 1,000 calls under 30% mixed faults all end typed, none hangs, the meter equals the bill', async () => {
  const simulator = await startSimulator({ port: 0, faults: FAULTS, seed: 7 });
  try {
    const client = createClient({
      providers: {
        openai: { apiKey: OPENAI_KEY, baseURL: `${simulator.url}/v1` },
        anthropic: { apiKey: ANTHROPIC_KEY, baseURL: simulator.url },
      },
      logger: false,
      retry: { maxRetries: 3, initialDelayMs: 2, maxDelayMs: 10 },
      // Well above real latency even on a loaded machine: a limit that fires on an answer the
      // simulator already sent would leave a billed attempt the client never saw (docs/client.md).
      timeout: { totalMs: 30_000, firstTokenMs: 8_000, idleMs: 8_000 },
      breaker: { failureThreshold: 1_000, minimumRequests: 100_000 },
    });
    const outcomes: Array<'ok' | string> = [];
    let next = 0;
    const worker = async () => {
      while (next < 1_000) {
        const index = next++;
        const request = { model: MODELS[index % 2], prompt: `Chaos item ${index}`, maxTokens: 60 };
        try {
          if (index % 4 < 2) await client.generate(request);
          else await client.stream(request).final();
          outcomes.push('ok');
        } catch (error) {
          outcomes.push(ReinsError.isInstance(error) ? error.name : `untyped ${String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    expect(outcomes).toHaveLength(1_000);
    expect(outcomes.filter((outcome) => outcome.startsWith('untyped'))).toEqual([]);
    const completed = outcomes.filter((outcome) => outcome === 'ok').length;
    // Streams cut after content (cut, error-event: ~3.5% of calls) end in StreamInterruptedError
    // by default; everything else is retried.
    expect(completed).toBeGreaterThan(900);
    expect(
      outcomes.filter((outcome) => outcome !== 'ok' && outcome !== 'StreamInterruptedError').length,
    ).toBeLessThan(20);
    const stats = simulator.stats();
    const meter = client.meter.snapshot();
    expect(stats.faults['stall']).toBeGreaterThan(0);
    expect({
      inputTokens: meter.inputTokens,
      outputTokens: meter.outputTokens,
      cachedInputTokens: meter.cachedInputTokens,
    }).toEqual({
      inputTokens: stats.inputTokens,
      outputTokens: stats.outputTokens,
      cachedInputTokens: stats.cachedInputTokens,
    });
  } finally {
    await simulator.close();
  }
}, 120_000);
