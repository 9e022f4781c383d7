/**
 * Prompt caching: TTFT and cost, cached vs uncached, for 2k/10k/50k-token prefixes on Anthropic and OpenAI (simulator, realistic profile).
 *
 * The simulator runs in-process with the `realistic` profile: TTFT = the model's median TTFT plus
 * prefill at 20,000 uncached tokens/s, cut by up to 80% for the cached share (what the providers
 * publish). Each cell streams a request whose system prompt is the prefix, through Reins with
 * `cache: 'auto'`: "uncached" gives every request a fresh prefix (and `cache: 'off'` on
 * Anthropic), "first" is the call that writes the cache, "cached" repeats the same prefix. The
 * answer is fixed at 50 tokens (`x-sim-answer-tokens`), so cost differences are the prefix's.
 * Median of `--repeats` calls per cell; costs are Reins's `costUsd` (bundled LiteLLM prices).
 *
 *   node bench/prompt-cache.ts [--repeats 3] [--scale 1]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createClient, type LLMClient } from '@reins/client';
import { startSimulator } from '@reins/simulator';

const { values: options } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    scale: { type: 'string', default: '1' },
  },
});
const REPEATS = Number(options.repeats);
const SIZES = [2_000, 10_000, 50_000];
const MODELS = ['anthropic/claude-sonnet-4-6', 'openai/gpt-5.6-luna', 'openai/gpt-4.1'];
const ANSWER = { 'x-sim-answer-tokens': '50' };

const SENTENCES = [
  'Every vessel entering the harbour reports its draught, cargo and crew count to the pilot station.',
  'Tide tables are published weekly; the spring tides of March and September need extra clearance.',
  'Anchoring is forbidden inside the marked cable area between buoys seven and twelve.',
  'Night arrivals keep the leading lights in line until the breakwater beacon is abeam.',
  'Fuel transfers require a boom around the vessel and a crew member on watch at the manifold.',
  'Squall warnings are broadcast on channel sixteen at the top of every hour.',
];

/** A prefix of about `tokens` tokens for this model, made unique by `nonce`. */
async function prefix(client: LLMClient, model: string, tokens: number, nonce: string): Promise<string> {
  let text = `Harbour handbook ${nonce}.`;
  let index = 0;
  const block = (start: number) =>
    SENTENCES.map((_, offset) => `${start + offset}. ${SENTENCES[(start + offset) % 6]}`).join(' ');
  // Grow in blocks, then trim by estimate.
  for (;;) {
    const estimate = await client.estimate({ model, system: text, prompt: 'Q', cache: 'off' });
    if (estimate.inputTokens >= tokens) return text;
    const missing = tokens - estimate.inputTokens;
    const blocks = Math.max(1, Math.floor(missing / 140));
    for (let count = 0; count < blocks; count++) {
      text += ` ${block(index)}`;
      index += 6;
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

type Sample = { ttftMs: number; costUsd: number; inputTokens: number; cached: number; written: number };

async function call(
  client: LLMClient,
  model: string,
  system: string,
  cache: 'auto' | 'off',
): Promise<Sample> {
  const result = await client
    .stream({
      model,
      system,
      prompt: 'Which rule matters most at night?',
      maxTokens: 80,
      cache,
      headers: ANSWER,
    })
    .final();
  return {
    ttftMs: result.ttftMs ?? Number.NaN,
    costUsd: result.costUsd ?? Number.NaN,
    inputTokens: result.usage.inputTokens,
    cached: result.usage.cachedInputTokens,
    written: result.usage.cacheWriteTokens,
  };
}

const simulator = await startSimulator({
  port: 0,
  profile: 'realistic',
  latencyScale: Number(options.scale),
});
try {
  const client = createClient({
    providers: {
      openai: { apiKey: 'sk-bench-prompt-cache-0123456789', baseURL: `${simulator.url}/v1` },
      anthropic: { apiKey: 'sk-ant-bench-prompt-cache-0123456789', baseURL: simulator.url },
    },
    logger: false,
  });
  console.log(
    `\n### Prompt caching (simulator realistic profile, scale ${options.scale}; median of ${REPEATS})\n`,
  );
  console.log(
    '| model | prefix tokens | TTFT uncached | TTFT first (write) | TTFT cached | TTFT cut | cost uncached | cost first (write) | cost cached | cost cut |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  let run = 0;
  for (const model of MODELS) {
    for (const size of SIZES) {
      const anthropic = model.startsWith('anthropic/');
      const uncached: Sample[] = [];
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        const fresh = await prefix(client, model, size, `u${run++}`);
        uncached.push(await call(client, model, fresh, anthropic ? 'off' : 'auto'));
      }
      const shared = await prefix(client, model, size, `s${run++}`);
      const first = await call(client, model, shared, 'auto');
      const cached: Sample[] = [];
      for (let repeat = 0; repeat < REPEATS; repeat++) cached.push(await call(client, model, shared, 'auto'));
      const ttftUncached = median(uncached.map((sample) => sample.ttftMs));
      const ttftCached = median(cached.map((sample) => sample.ttftMs));
      const costUncached = median(uncached.map((sample) => sample.costUsd));
      const costCached = median(cached.map((sample) => sample.costUsd));
      const percent = (cut: number) => `${(cut * 100).toFixed(0)}%`;
      console.log(
        `| ${model} | ${first.inputTokens.toLocaleString('en-US')} (cached ${median(cached.map((sample) => sample.cached)).toLocaleString('en-US')}) | ${ttftUncached.toFixed(0)} ms | ${first.ttftMs.toFixed(0)} ms | ${ttftCached.toFixed(0)} ms | ${percent(1 - ttftCached / ttftUncached)} | $${costUncached.toFixed(6)} | $${first.costUsd.toFixed(6)} | $${costCached.toFixed(6)} | ${percent(1 - costCached / costUncached)} |`,
      );
    }
  }
  const cache = client.meter.snapshot().cache;
  console.log(
    `\nMeter cache report over the whole run: hit rate ${(cache.hitRate * 100).toFixed(1)}%, ${cache.tokensRead.toLocaleString('en-US')} tokens read from cache, saved $${cache.savedUsd.toFixed(4)}, mean TTFT cached ${cache.ttftCachedMs?.toFixed(0)} ms vs uncached ${cache.ttftUncachedMs?.toFixed(0)} ms.`,
  );
  console.log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString()}`,
  );
} finally {
  await simulator.close();
}
