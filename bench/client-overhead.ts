/**
 * Client overhead: CPU per call and calls/s of Reins `generate` vs the raw OpenAI SDK vs the Vercel AI SDK; stream TTFT added and memory per stream.
 *
 * Reins sends through its own transport (`createUndiciFetch`, undici.request over a keep-alive
 * Agent); the raw SDK runs twice, on the global fetch (what an app gets out of the box) and on
 * the same transport as Reins (so the ratio against it is Reins's own work alone).
 *
 * One simulator (`instant` profile) runs in a child process. Each measurement runs in a fresh
 * worker process of its own (so heaps and GC do not mix between clients), rounds interleaved,
 * medians reported. Non-streaming: the same prompt through (a) the official `openai` SDK,
 * (b) Reins `generate` with pino logging at info (to /dev/null) and the meter on, (c) the AI SDK's
 * `generateText` with `@ai-sdk/openai` (`.chat()`: Chat Completions); retries off everywhere;
 * CPU per call is `process.cpuUsage()` over `--calls` calls at `--concurrency`, after a warm-up.
 * Streaming: `--streams` concurrent streams, raw SDK vs Reins; a wrapped `fetch` stamps when each
 * response's first body byte arrives, so "added" TTFT is the time from that byte to the first
 * text delta in the caller's hands (p50/p99); also end-to-end TTFT and heap per in-flight stream
 * (after GC, with every stream open and holding its first delta).
 *
 *   node bench/client-overhead.ts [--calls 4000] [--rounds 5] [--concurrency 64] [--streams 1000]
 *                                 [--only calls|streams]
 */
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const { values: options } = parseArgs({
  options: {
    calls: { type: 'string', default: '4000' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '64' },
    streams: { type: 'string', default: '1000' },
    only: { type: 'string' },
    'simulator-child': { type: 'boolean', default: false },
    worker: { type: 'string' },
    variant: { type: 'string' },
    url: { type: 'string' },
  },
});

const MODEL = 'gpt-5.6-luna';
const PROMPT = 'Summarise the termination clause of the attached services agreement in two sentences.';
const MAX_TOKENS = 60;
const API_KEY = 'sk-bench-0123456789abcdefghij';
const VARIANTS = {
  raw: 'raw openai SDK',
  'raw-undici': 'raw openai SDK + Reins transport (undici)',
  reins: 'Reins generate (pino info + meter)',
  'reins-nolog': 'Reins generate (logger off, meter on)',
  'ai-sdk': 'AI SDK generateText',
} as const;
type Variant = keyof typeof VARIANTS;

type CallResult = { cpuPerCallUs: number; callsPerSecond: number };
type StreamResult = { added: number[]; ttft: number[]; heapPerStream: number };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const median = (values: number[]) => percentile(values, 50);

function runWorker<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url).pathname, args, { stdio: 'inherit' });
    child.once('message', (message) => {
      resolve(message as T);
      child.disconnect();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker ${args.join(' ')} exited with ${code}`));
    });
  });
}

async function runConcurrent(
  calls: number,
  concurrency: number,
  call: () => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next += 1;
      await call();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function makeCall(
  variant: Variant,
  url: string,
  fetch?: typeof globalThis.fetch,
): Promise<() => Promise<unknown>> {
  const messages = [{ role: 'user' as const, content: PROMPT }];
  if (variant === 'raw' || variant === 'raw-undici') {
    const { default: OpenAI } = await import('openai');
    const { createUndiciFetch } = await import('../packages/client/src/providers/undici-fetch.ts');
    const transport = fetch ?? (variant === 'raw-undici' ? createUndiciFetch() : undefined);
    const raw = new OpenAI({
      baseURL: `${url}/v1`,
      apiKey: API_KEY,
      maxRetries: 0,
      ...(transport ? { fetch: transport } : {}),
    });
    return () => raw.chat.completions.create({ model: MODEL, messages, max_completion_tokens: MAX_TOKENS });
  }
  if (variant === 'reins-nolog') {
    const { createClient } = await import('@reins/client');
    const reins = createClient({
      providers: { openai: { apiKey: API_KEY, baseURL: `${url}/v1` } },
      logger: false,
    });
    return () => reins.generate({ model: `openai/${MODEL}`, prompt: PROMPT, maxTokens: MAX_TOKENS });
  }
  if (variant === 'reins') {
    const { createClient } = await import('@reins/client');
    const { pino } = await import('pino');
    const reins = createClient({
      providers: { openai: { apiKey: API_KEY, baseURL: `${url}/v1` } },
      logger: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true, minLength: 4096 })),
    });
    return () => reins.generate({ model: `openai/${MODEL}`, prompt: PROMPT, maxTokens: MAX_TOKENS });
  }
  const { createOpenAI } = await import('@ai-sdk/openai');
  const { generateText } = await import('ai');
  const provider = createOpenAI({ baseURL: `${url}/v1`, apiKey: API_KEY });
  return () =>
    generateText({ model: provider.chat(MODEL), prompt: PROMPT, maxOutputTokens: MAX_TOKENS, maxRetries: 0 });
}

async function callWorker(variant: Variant, url: string): Promise<CallResult> {
  const call = await makeCall(variant, url);
  const calls = Number(options.calls);
  const concurrency = Number(options.concurrency);
  await runConcurrent(1000, concurrency, call); // JIT, sockets, tokenizer tables
  const startCpu = process.cpuUsage();
  const start = performance.now();
  await runConcurrent(calls, concurrency, call);
  const wall = performance.now() - start;
  const used = process.cpuUsage(startCpu);
  return { cpuPerCallUs: (used.user + used.system) / calls, callsPerSecond: calls / (wall / 1000) };
}

/** A fetch that stamps when each response's first body byte arrives, keyed by `x-bench-id`. */
function stampingFetch(firstByte: Map<string, number>): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const id = new Headers(init?.headers).get('x-bench-id');
    if (id === null || response.body === null) return response;
    let seen = false;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          if (!seen) {
            seen = true;
            firstByte.set(id, performance.now());
          }
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

type Opened = { iterator: AsyncIterator<unknown>; firstDeltaAt: number };

async function streamWorker(variant: Variant, url: string): Promise<StreamResult> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const firstByte = new Map<string, number>();
  const fetchWithStamps = stampingFetch(firstByte);
  let open: (id: string) => Promise<Opened>;
  if (variant === 'raw') {
    const { default: OpenAI } = await import('openai');
    const raw = new OpenAI({ baseURL: `${url}/v1`, apiKey: API_KEY, maxRetries: 0, fetch: fetchWithStamps });
    open = async (id) => {
      const stream = await raw.chat.completions.create(
        {
          model: MODEL,
          messages: [{ role: 'user', content: PROMPT }],
          max_completion_tokens: MAX_TOKENS,
          stream: true,
          stream_options: { include_usage: true },
        },
        { headers: { 'x-bench-id': id } },
      );
      const iterator = stream[Symbol.asyncIterator]();
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) throw new Error('no content');
        if (value.choices[0]?.delta.content) return { iterator, firstDeltaAt: performance.now() };
      }
    };
  } else {
    const { createClient } = await import('@reins/client');
    const { pino } = await import('pino');
    const reins = createClient({
      providers: { openai: { apiKey: API_KEY, baseURL: `${url}/v1` } },
      fetch: fetchWithStamps,
      logger: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true, minLength: 4096 })),
    });
    open = async (id) => {
      const stream = reins.stream({
        model: `openai/${MODEL}`,
        prompt: PROMPT,
        maxTokens: MAX_TOKENS,
        headers: { 'x-bench-id': id },
      });
      const iterator = stream[Symbol.asyncIterator]();
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) throw new Error('no content');
        if (value.type === 'text-delta') return { iterator, firstDeltaAt: performance.now() };
      }
    };
  }
  const streams = Number(options.streams);
  const batch = async (label: string, count: number) => {
    const started = new Map<string, number>();
    const held = await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const id = `${label}-${index}`;
        started.set(id, performance.now());
        return { id, ...(await open(id)) };
      }),
    );
    return { held, started };
  };
  const drain = (held: Opened[]) =>
    Promise.all(
      held.map(async ({ iterator }) => {
        for (;;) if ((await iterator.next()).done) break;
      }),
    );
  await drain((await batch('warm', 200)).held);
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const { held, started } = await batch('run', streams);
  gc();
  const heapPerStream = (process.memoryUsage().heapUsed - baseline) / streams;
  const added = held.map(({ id, firstDeltaAt }) => firstDeltaAt - firstByte.get(id)!);
  const ttft = held.map(({ id, firstDeltaAt }) => firstDeltaAt - started.get(id)!);
  await drain(held);
  return { added, ttft, heapPerStream };
}

async function main(): Promise<void> {
  const rounds = Number(options.rounds);
  const simulator = fork(new URL(import.meta.url).pathname, ['--simulator-child'], { stdio: 'inherit' });
  const url = await new Promise<string>((resolve, reject) => {
    simulator.once('message', (message) => resolve((message as { url: string }).url));
    simulator.once('error', reject);
  });
  try {
    if (options.only !== 'streams') await callsBenchmark(url, rounds);
    if (options.only !== 'calls') await streamsBenchmark(url);
    console.log(
      `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString()}`,
    );
  } finally {
    simulator.disconnect();
  }
}

async function callsBenchmark(url: string, rounds: number): Promise<void> {
  const variants = Object.keys(VARIANTS) as Variant[];
  const calls = new Map<Variant, CallResult[]>();
  for (let round = 0; round < rounds; round++) {
    for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
      const result = await runWorker<CallResult>([
        '--worker',
        'calls',
        '--variant',
        variant,
        '--url',
        url,
        ...passthrough(),
      ]);
      calls.set(variant, [...(calls.get(variant) ?? []), result]);
    }
  }
  const rawCpu = median(calls.get('raw')!.map((result) => result.cpuPerCallUs));
  // Paired: each round ran every client once, back to back; the ratio within a round cancels
  // most of the drift of a shared machine.
  const pairedRatio = (variant: Variant, base: Variant = 'raw') =>
    median(
      calls.get(variant)!.map((result, round) => result.cpuPerCallUs / calls.get(base)![round]!.cpuPerCallUs),
    );
  console.log(
    `\n### Non-streaming: ${options.calls} calls per run at concurrency ${options.concurrency}, ${rounds} rounds (medians)\n`,
  );
  console.log(
    '| client | CPU µs/call | vs raw SDK (ratio of medians) | vs raw SDK (median of per-round ratios) | vs raw SDK on the same transport (per-round ratios) | calls/s |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const variant of variants) {
    const results = calls.get(variant)!;
    const cpu = median(results.map((result) => result.cpuPerCallUs));
    const rate = median(results.map((result) => result.callsPerSecond));
    console.log(
      `| ${VARIANTS[variant]} | ${cpu.toFixed(0)} | ${(cpu / rawCpu).toFixed(2)}× | ${pairedRatio(variant).toFixed(2)}× | ${variant.startsWith('reins') ? `${pairedRatio(variant, 'raw-undici').toFixed(2)}×` : '–'} | ${rate.toFixed(0)} |`,
    );
  }
}

async function streamsBenchmark(url: string): Promise<void> {
  const streamRuns: Record<'raw' | 'reins', StreamResult[]> = { raw: [], reins: [] };
  for (let round = 0; round < 3; round++) {
    for (const variant of round % 2 === 0 ? (['raw', 'reins'] as const) : (['reins', 'raw'] as const)) {
      streamRuns[variant].push(
        await runWorker<StreamResult>([
          '--worker',
          'streams',
          '--variant',
          variant,
          '--url',
          url,
          ...passthrough(),
        ]),
      );
    }
  }
  const summary = (runs: StreamResult[]) => ({
    addedP50: median(runs.map((run) => percentile(run.added, 50))),
    addedP99: median(runs.map((run) => percentile(run.added, 99))),
    ttftP50: median(runs.map((run) => percentile(run.ttft, 50))),
    ttftP99: median(runs.map((run) => percentile(run.ttft, 99))),
    heap: median(runs.map((run) => run.heapPerStream)),
  });
  const raw = summary(streamRuns.raw);
  const reins = summary(streamRuns.reins);
  const ms = (value: number) => value.toFixed(2);
  console.log(
    `\n### Streaming: ${options.streams} concurrent streams, 3 runs each (medians of the per-run percentiles)\n`,
  );
  console.log(
    '| client | first byte → first delta p50 | p99 | TTFT p50 | TTFT p99 | heap per in-flight stream |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, result] of [
    ['raw openai SDK', raw],
    ['Reins stream', reins],
  ] as const) {
    console.log(
      `| ${name} | ${ms(result.addedP50)} ms | ${ms(result.addedP99)} ms | ${ms(result.ttftP50)} ms | ${ms(result.ttftP99)} ms | ${(result.heap / 1024).toFixed(1)} KiB |`,
    );
  }
  console.log(
    `\nTTFT added by Reins over the raw SDK (first byte → first delta): p50 ${ms(reins.addedP50 - raw.addedP50)} ms, p99 ${ms(reins.addedP99 - raw.addedP99)} ms; heap per stream ${((reins.heap - raw.heap) / 1024).toFixed(1)} KiB more.`,
  );
}

function passthrough(): string[] {
  return [
    '--calls',
    String(options.calls),
    '--concurrency',
    String(options.concurrency),
    '--streams',
    String(options.streams),
  ];
}

// Dispatch last: everything above is defined by now.
if (options['simulator-child']) {
  const { startSimulator } = await import('@reins/simulator');
  const simulator = await startSimulator({ port: 0, profile: 'instant' });
  process.send?.({ url: simulator.url });
  process.on('disconnect', () => void simulator.close().then(() => process.exit(0)));
} else if (options.worker === 'calls') {
  process.send?.(await callWorker(options.variant as Variant, options.url!));
} else if (options.worker === 'streams') {
  process.send?.(await streamWorker(options.variant as Variant, options.url!));
} else {
  await main();
}
