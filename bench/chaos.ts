/**
 * Chaos: N calls (generate and stream, OpenAI and Anthropic) under 30% mixed simulator faults: completion rate, p50/p99 latency and meter vs bill, Reins vs the raw SDKs.
 *
 * The simulator (`instant`, in this process) serves `429:0.05,500:0.05,503:0.04,529:0.04,
 * reset:0.03,cut:0.04,stall:0.02,error-event:0.03` (30% of requests, seeded). Reins: default
 * retry policy with short waits (3 retries, 5 ms doubling to 50 ms; 429 waits what it is told),
 * `firstTokenMs`/`idleMs` = `--first-token-ms` (3 s), breaker thresholds raised so that the
 * measure is the retry layer. Baseline: the official SDKs with their defaults (2 retries; streams
 * never retried) and the same SDK timeout (without one a `stall` hangs for the SDK's 10 minutes).
 * A timeout that fires on a response the simulator already sent whole is billed but never seen
 * by the client: with a short limit on a loaded machine that shows as a wrong meter, so the
 * limit is set well above normal latency. "Wrong meter" is the
 * difference in tokens between what the client metered and what the simulator billed
 * (`stats()`), input + output; the goal is 0. "Untyped" counts failures that were not a Reins
 * error (Reins only). No call can hang: the run ends only when every call has settled. A
 * stream that breaks after content reached the caller is a `StreamInterruptedError` by default;
 * the third row re-issues it (`resumeStrategy: 'restart'`).
 *
 *   node bench/chaos.ts [--calls 10000] [--concurrency 100] [--only reins|baseline]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { createClient, ReinsError } from '@reins/client';
import { startSimulator } from '@reins/simulator';
import OpenAI from 'openai';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '100' },
    only: { type: 'string' },
    'first-token-ms': { type: 'string', default: '3000' },
  },
});
const firstTokenMs = Number(values['first-token-ms']);
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const FAULTS = '429:0.05,500:0.05,503:0.04,529:0.04,reset:0.03,cut:0.04,stall:0.02,error-event:0.03';
const simulator = await startSimulator({ port: 0, faults: FAULTS, seed: 11 });

type Row = {
  name: string;
  /** Attempts that ended in a first-token / idle timeout, and the stalls the simulator served. */
  timeouts: number | null;
  stalls: number;
  completed: number;
  untyped: number;
  latencies: number[];
  wallMs: number;
  meteredTokens: number;
  billedTokens: number;
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function drive(
  run: (index: number) => Promise<void>,
): Promise<{ completed: number; untyped: number; latencies: number[]; wallMs: number }> {
  let next = 0;
  let completed = 0;
  let untyped = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const worker = async () => {
    while (next < calls) {
      const index = next++;
      const callStarted = performance.now();
      try {
        await run(index);
        completed += 1;
      } catch (error) {
        if (!ReinsError.isInstance(error)) untyped += 1;
      }
      latencies.push(performance.now() - callStarted);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    completed,
    untyped,
    latencies: latencies.sort((a, b) => a - b),
    wallMs: performance.now() - started,
  };
}

const prompt = (index: number) => `Chaos item ${index}: name a river.`;

async function runReins(restart: boolean): Promise<Row> {
  simulator.reset();
  let timeouts = 0;
  const client = createClient({
    providers: {
      openai: { apiKey: 'sk-bench-reins', baseURL: `${simulator.url}/v1` },
      anthropic: { apiKey: 'sk-ant-bench-reins', baseURL: simulator.url },
    },
    logger: false,
    sinks: [
      {
        write: (record) => {
          if (record.errorClass === 'TimeoutError') timeouts += 1;
        },
      },
    ],
    retry: { initialDelayMs: 5, maxDelayMs: 50 },
    timeout: { firstTokenMs, idleMs: firstTokenMs },
    breaker: { failureThreshold: 1_000, minimumRequests: 1_000_000 },
  });
  const outcome = await drive(async (index) => {
    const request = {
      model: index % 2 === 0 ? 'openai/gpt-5.6-luna' : 'anthropic/claude-haiku-4-5',
      prompt: prompt(index),
      maxTokens: 60,
    };
    if (index % 4 < 2) await client.generate(request);
    else await client.stream(restart ? { ...request, resumeStrategy: 'restart' } : request).final();
  });
  const meter = client.meter.snapshot();
  const stats = simulator.stats();
  return {
    name: restart ? "Reins, streams with resumeStrategy: 'restart'" : 'Reins (retries per class, timeouts)',
    ...outcome,
    timeouts,
    stalls: stats.faults['stall'] ?? 0,
    meteredTokens: meter.inputTokens + meter.outputTokens,
    billedTokens: stats.inputTokens + stats.outputTokens,
  };
}

async function runBaseline(): Promise<Row> {
  simulator.reset();
  const openai = new OpenAI({
    apiKey: 'sk-bench-raw',
    baseURL: `${simulator.url}/v1`,
    timeout: firstTokenMs,
  });
  const anthropic = new Anthropic({
    apiKey: 'sk-ant-bench-raw',
    baseURL: simulator.url,
    timeout: firstTokenMs,
  });
  let metered = 0;
  const outcome = await drive(async (index) => {
    const stream = index % 4 >= 2;
    if (index % 2 === 0) {
      const messages = [{ role: 'user' as const, content: prompt(index) }];
      if (!stream) {
        const completion = await openai.chat.completions.create({
          model: 'gpt-5.6-luna',
          messages,
          max_completion_tokens: 60,
        });
        metered += (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0);
      } else {
        const chunks = await openai.chat.completions.create({
          model: 'gpt-5.6-luna',
          messages,
          max_completion_tokens: 60,
          stream: true,
          stream_options: { include_usage: true },
        });
        for await (const chunk of chunks)
          if (chunk.usage) metered += chunk.usage.prompt_tokens + chunk.usage.completion_tokens;
      }
    } else {
      const body = {
        model: 'claude-haiku-4-5',
        max_tokens: 60,
        messages: [{ role: 'user' as const, content: prompt(index) }],
      };
      if (!stream) {
        const message = await anthropic.messages.create(body);
        metered += message.usage.input_tokens + message.usage.output_tokens;
      } else {
        let input = 0;
        let output = 0;
        const events = await anthropic.messages.create({ ...body, stream: true });
        for await (const event of events) {
          if (event.type === 'message_start') input = event.message.usage.input_tokens;
          if (event.type === 'message_delta') {
            output = event.usage.output_tokens;
            metered += input + output;
          }
        }
      }
    }
  });
  const stats = simulator.stats();
  return {
    name: `raw SDKs (defaults, ${firstTokenMs} ms timeout)`,
    ...outcome,
    timeouts: null,
    stalls: stats.faults['stall'] ?? 0,
    meteredTokens: metered,
    billedTokens: stats.inputTokens + stats.outputTokens,
  };
}

console.log(
  `# chaos · ${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model} · Node ${process.version} · load ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
console.log(`${calls} calls, concurrency ${concurrency}, faults ${FAULTS}\n`);
const rows: Row[] = [];
if (values.only !== 'reins') rows.push(await runBaseline());
if (values.only !== 'baseline') {
  rows.push(await runReins(false));
  rows.push(await runReins(true));
}
console.log(
  '| client | completed | completion rate | untyped errors | p50 ms | p99 ms | wall s | stalls served | attempts timed out | metered tokens | billed tokens | wrong meter (tokens) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  console.log(
    `| ${row.name} | ${row.completed} | ${((100 * row.completed) / calls).toFixed(2)}% | ${row.name.startsWith('Reins') ? row.untyped : 'n/a'} | ${percentile(row.latencies, 50).toFixed(1)} | ${percentile(row.latencies, 99).toFixed(1)} | ${(row.wallMs / 1000).toFixed(1)} | ${row.stalls} | ${row.timeouts ?? 'n/a'} | ${row.meteredTokens} | ${row.billedTokens} | ${row.meteredTokens - row.billedTokens} |`,
  );
}
await simulator.close();
