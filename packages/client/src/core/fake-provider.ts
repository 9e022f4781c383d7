import type { Provider, ProviderRequest, ProviderResult, ProviderStreamPart } from '../providers/provider.ts';

/**
 * A scripted in-memory provider for unit tests: each request gets the next scripted answer
 * (or the value its function returns), and every request is kept in `requests`.
 *
 * @example
 * const fake = createFakeProvider([{ text: 'Hi' }]);
 * const client = createClient({ providers: {}, adapters: { fake }, logger: false });
 */
export function createFakeProvider(
  script: Array<Partial<ProviderResult> | ((request: ProviderRequest) => Partial<ProviderResult>)>,
  kind: Provider['kind'] = 'openai-compatible',
): Provider & { requests: ProviderRequest[] } {
  const requests: ProviderRequest[] = [];
  const next = (request: ProviderRequest): ProviderResult => {
    requests.push(request);
    const step = script[Math.min(requests.length - 1, script.length - 1)];
    const partial = typeof step === 'function' ? step(request) : (step ?? {});
    return {
      text: '',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: {
        inputTokens: 10,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 5,
        reasoningTokens: 0,
      },
      ...partial,
    };
  };
  return {
    name: 'fake',
    kind,
    requests,
    estimateInputTokens: () => 10,
    doGenerate: async (request) => next(request),
    doStream: async (request) => {
      const result = next(request);
      return (async function* (): AsyncGenerator<ProviderStreamPart> {
        for (const word of result.text.split(/(?<= )/))
          if (word !== '') yield { type: 'text-delta', delta: word };
        for (const toolCall of result.toolCalls) yield { type: 'tool-call', toolCall };
        yield { type: 'usage', usage: result.usage };
        yield { type: 'finish', finishReason: result.finishReason, rawFinishReason: result.rawFinishReason };
      })();
    },
  };
}
