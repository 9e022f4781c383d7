/**
 * Rate-limited fan-out: N calls through Reins `map` (limiter on) vs `Promise.all` + an inline p-limit with the raw OpenAI SDK, against simulator RPM/TPM limits.
 *
 * The simulator (`instant` profile, in this process) enforces `--rpm` / `--tpm` per key and model
 * as token buckets that start full (a minute's allowance) and refill continuously, so the fastest
 * any client can finish N requests is max over both buckets of (N × cost − capacity) ÷ rate
 * ("min s"); "completed ÷ allowed" compares the calls that succeeded with what the limits allowed
 * within the run's own wall time (capacity + rate × wall), which also rates a run that gave up. Both
 * runs send the same requests (`gpt-5.6-luna`, `--max-tokens` 64) at the same concurrency; the
 * simulator is reset between them. Reported: wall time, the theoretical minimum and their ratio
 * (share of the allowed throughput achieved), the share of HTTP requests answered 429, failures.
 * Baselines: the raw SDK with its default 2 retries (honouring `retry-after-ms`), and with 10.
 * Reins runs twice: with `limits` configured, and with none (learned from the rate-limit headers
 * of the first responses).
 *
 *   node bench/rate-limited-fanout.ts [--calls 5000] [--rpm 3000] [--tpm 1000000] [--concurrency 64]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createClient } from '@reins/client';
import { startSimulator } from '@reins/simulator';
import OpenAI from 'openai';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '5000' },
    rpm: { type: 'string', default: '3000' },
    tpm: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '64' },
    'max-tokens': { type: 'string', default: '64' },
    only: { type: 'string' },
  },
});
const calls = Number(values.calls);
const rpm = Number(values.rpm);
const tpm = Number(values.tpm);
const concurrency = Number(values.concurrency);
const maxTokens = Number(values['max-tokens']);
const MODEL = 'gpt-5.6-luna';
const prompt = (index: number) => `Classify the sentiment of review number ${index}: the delivery was late.`;

const simulator = await startSimulator({ port: 0, rateLimits: { rpm, tpm } });

/** The smallest wall time the buckets allow for `requests` requests using `tokens` tokens in all. */
function theoreticalMinimumMs(requests: number, tokens: number): number {
  return Math.max(0, ((requests - rpm) * 60_000) / rpm, ((tokens - tpm) * 60_000) / tpm);
}

function pLimit(limit: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    active -= 1;
    queue.shift()?.();
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const run = () => {
        active += 1;
        task().then(resolve, reject).finally(next);
      };
      if (active < limit) run();
      else queue.push(run);
    });
}

type Row = {
  name: string;
  wallMs: number;
  minimumMs: number;
  allowed: number;
  http: number;
  rateLimited: number;
  failed: number;
};

/** Row figures from the simulator's stats: the minimum for all N calls, and what the limits allowed within the wall time. */
function measure(name: string, wallMs: number, failed: number): Row {
  const stats = simulator.stats();
  const completed = calls - failed;
  const tokensPerCall = (stats.inputTokens + stats.outputTokens) / Math.max(1, completed);
  const allowed = Math.min(
    calls,
    rpm + (rpm * wallMs) / 60_000,
    (tpm + (tpm * wallMs) / 60_000) / Math.max(1, tokensPerCall),
  );
  return {
    name,
    wallMs,
    minimumMs: theoreticalMinimumMs(calls, tokensPerCall * calls),
    allowed,
    http: stats.httpRequests,
    rateLimited: stats.rateLimited,
    failed,
  };
}

async function runBaseline(maxRetries: number): Promise<Row> {
  simulator.reset();
  const openai = new OpenAI({ apiKey: 'sk-bench-baseline', baseURL: `${simulator.url}/v1`, maxRetries });
  const limit = pLimit(concurrency);
  const started = performance.now();
  const settled = await Promise.allSettled(
    Array.from({ length: calls }, (_, index) =>
      limit(() =>
        openai.chat.completions.create({
          model: MODEL,
          messages: [{ role: 'user', content: prompt(index) }],
          max_completion_tokens: maxTokens,
        }),
      ),
    ),
  );
  const wallMs = performance.now() - started;
  return measure(
    `raw SDK + Promise.all + p-limit (maxRetries ${maxRetries})`,
    wallMs,
    settled.filter((result) => result.status === 'rejected').length,
  );
}

async function runReins(learned: boolean): Promise<Row> {
  simulator.reset();
  const client = createClient({
    providers: { openai: { apiKey: 'sk-bench-reins', baseURL: `${simulator.url}/v1` } },
    logger: false,
    ...(learned ? {} : { limits: { [`openai/${MODEL}`]: { rpm, tpm } } }),
  });
  const started = performance.now();
  const results = await client.map(
    Array.from({ length: calls }, (_, index) => index),
    (index) => ({ model: `openai/${MODEL}`, prompt: prompt(index), maxTokens }),
    { concurrency },
  );
  const wallMs = performance.now() - started;
  return measure(
    learned ? 'Reins map (limits learned from the headers)' : 'Reins map (limits configured)',
    wallMs,
    results.filter((result) => result.status === 'rejected').length,
  );
}

console.log(
  `# rate-limited fan-out · ${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model} · Node ${process.version} · load ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
console.log(
  `${calls} calls, limits ${rpm} RPM / ${tpm} TPM, concurrency ${concurrency}, maxTokens ${maxTokens}\n`,
);
const rows: Row[] = [];
if (values.only !== 'reins') {
  rows.push(await runBaseline(2));
  rows.push(await runBaseline(10));
}
if (values.only !== 'baseline') {
  rows.push(await runReins(false));
  rows.push(await runReins(true));
}
console.log(
  '| client | completed | failed | wall s | min s for all calls | min ÷ wall | completed ÷ allowed in wall | HTTP requests | 429s | 429 share |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  const completed = calls - row.failed;
  const ratio =
    row.failed === 0 ? `${((100 * row.minimumMs) / row.wallMs).toFixed(1)}%` : 'n/a (calls failed)';
  console.log(
    `| ${row.name} | ${completed} | ${row.failed} | ${(row.wallMs / 1000).toFixed(1)} | ${(row.minimumMs / 1000).toFixed(1)} | ${ratio} | ${((100 * completed) / row.allowed).toFixed(1)}% | ${row.http} | ${row.rateLimited} | ${((100 * row.rateLimited) / row.http).toFixed(2)}% |`,
  );
}
await simulator.close();
