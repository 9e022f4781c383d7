import { describe, expect, it } from 'vitest';
import { createClient } from '../create-client.ts';
import type { Provider, ProviderStreamPart } from '../providers/provider.ts';

const usage = {
  inputTokens: 10,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 5,
  reasoningTokens: 0,
};

/** Waits until the request's signal aborts, then throws its reason (a provider gone silent). */
function silence(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) =>
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
  );
}

/** Streams `Hello`, then goes silent mid-stream on the first `stallAfterContent` requests. */
function stallingProvider(stallAfterContent: number): Provider & { requests: number } {
  const provider = {
    name: 'fake',
    kind: 'openai-compatible' as const,
    requests: 0,
    estimateInputTokens: () => 10,
    doGenerate: () => Promise.reject(new Error('not used')),
    async doStream(request: { signal?: AbortSignal }) {
      provider.requests += 1;
      const stall = provider.requests <= stallAfterContent;
      return (async function* (): AsyncGenerator<ProviderStreamPart> {
        yield { type: 'text-delta', delta: 'Hello' };
        if (stall) await silence(request.signal);
        yield { type: 'text-delta', delta: ' world' };
        yield { type: 'usage', usage };
        yield { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' };
      })();
    },
  };
  return provider;
}

const setup = (adapter: Provider) =>
  createClient({
    providers: {},
    adapters: { fake: adapter },
    logger: false,
    prices: { 'fake/m': { input: 1, output: 1, contextWindow: 1000 } },
    timeout: { firstTokenMs: 1_000, idleMs: 30 },
    retry: { initialDelayMs: 1, maxDelayMs: 1 },
  });

describe('stream idle timeout', () => {
  it('a stream that goes silent after content ends in StreamInterruptedError caused by the idle limit', async () => {
    const client = setup(stallingProvider(1));
    const error = (await client
      .stream({ model: 'fake/m', prompt: 'Hi' })
      .final()
      .catch((caught: unknown) => caught)) as { name: string; partialText: string; cause: unknown };
    expect(error).toMatchObject({ name: 'StreamInterruptedError', partialText: 'Hello' });
    expect(error.cause).toMatchObject({ name: 'TimeoutError', limit: 'idle', timeoutMs: 30 });
  });

  it("with resumeStrategy 'restart' it tells the caller and answers from scratch", async () => {
    const client = setup(stallingProvider(1));
    const types: string[] = [];
    let text = '';
    for await (const event of client.stream({ model: 'fake/m', prompt: 'Hi', resumeStrategy: 'restart' })) {
      types.push(event.type);
      if (event.type === 'restart') text = '';
      if (event.type === 'text-delta') text += event.delta;
    }
    expect(types).toEqual(['text-delta', 'restart', 'text-delta', 'text-delta', 'usage', 'finish']);
    expect(text).toBe('Hello world');
  });
});
