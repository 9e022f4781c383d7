/**
 * Simulator capacity: autocannon and the official OpenAI SDK against `reins simulator` (instant profile).
 *
 * Runs the simulator in a child process (generous rate limits and stats on, as in real use) and
 * measures non-streaming requests/s and streamed output tokens/s at concurrency 1, 64 and 512:
 * with autocannon (server capacity; its own process) and with the OpenAI SDK (end to end, in this
 * process). Baseline in the same run: a minimal `node:http` server answering a fixed JSON body.
 *
 *   node bench/simulator.ts            print the table
 *   node bench/simulator.ts --write    also record it in bench/RESULTS.md
 *   BENCH_DURATION=5 node bench/simulator.ts
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION_S = Number(process.env['BENCH_DURATION'] ?? 8);
const CONCURRENCY = [1, 64, 512];
const STREAM_TOKENS = 256;
const GOAL_RPS = 4000;
const KEY = 'sk-bench';
const MESSAGES = [
  { role: 'user' as const, content: 'Say hello to the benchmark and explain what throughput means' },
];
const PLAIN_BODY = { model: 'gpt-4o-mini', messages: MESSAGES, max_tokens: 64 };
const STREAM_BODY = {
  model: 'gpt-4o-mini',
  messages: MESSAGES,
  stream: true as const,
  stream_options: { include_usage: true },
};

interface Row {
  client: string;
  workload: string;
  concurrency: number;
  requestsPerSecond: number;
  tokensPerSecond?: number;
  p50: number;
  p99: number;
  errors: number;
  serverCpu: number;
}

interface Server {
  url: string;
  child: ChildProcess;
}

async function startChild(args: string[], pattern: RegExp): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout?.setEncoding('utf8');
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (text: string) => {
      output += text;
      const match = pattern.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  return { url, child };
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
}

/** CPU seconds used so far by a process (user + system), from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function simulatorStats(url: string): Promise<{ outputTokens: number }> {
  return (await fetch(`${url}/_sim/stats`)).json() as Promise<{ outputTokens: number }>;
}

async function autocannon(
  url: string,
  connections: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const args = [
    join(root, 'node_modules/autocannon/autocannon.js'),
    '-c',
    String(connections),
    '-d',
    String(DURATION_S),
    '-m',
    'POST',
    '-j',
    '-n',
  ];
  for (const [name, value] of Object.entries({
    'content-type': 'application/json',
    authorization: `Bearer ${KEY}`,
    ...headers,
  })) {
    args.push('-H', `${name}=${value}`);
  }
  args.push('-b', JSON.stringify(body), url);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout.setEncoding('utf8');
  let output = '';
  child.stdout.on('data', (text: string) => {
    output += text;
  });
  await once(child, 'exit');
  const result = JSON.parse(output) as {
    requests: { total: number };
    duration: number;
    latency: { p50: number; p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

async function sdkRun(url: string, concurrency: number, stream: boolean) {
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          if (stream) {
            const chunks = await client.chat.completions.create(STREAM_BODY, {
              headers: { 'x-sim-answer-tokens': String(STREAM_TOKENS) },
            });
            for await (const _chunk of chunks) {
              // consume every chunk, as an application would
            }
          } else {
            await client.chat.completions.create(PLAIN_BODY);
          }
          latencies.push(performance.now() - begin);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (share: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))] ?? 0;
  return { requestsPerSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, elapsed };
}

async function measure(
  server: Server,
  client: string,
  workload: string,
  concurrency: number,
  run: () => Promise<{ requestsPerSecond: number; p50: number; p99: number; errors: number }>,
): Promise<Row> {
  const stream = workload.startsWith('stream');
  const tokensBefore = stream ? (await simulatorStats(server.url)).outputTokens : 0;
  const cpuBefore = cpuSeconds(server.child.pid);
  const started = performance.now();
  const result = await run();
  const elapsed = (performance.now() - started) / 1000;
  const cpu = (cpuSeconds(server.child.pid) - cpuBefore) / elapsed;
  const tokensPerSecond = stream
    ? ((await simulatorStats(server.url)).outputTokens - tokensBefore) / elapsed
    : undefined;
  const row = { client, workload, concurrency, ...result, tokensPerSecond, serverCpu: cpu };
  console.error(`  ${client} ${workload} c=${concurrency}: ${Math.round(row.requestsPerSecond)} req/s`);
  return row;
}

const MINIMAL_UPSTREAM = `
const body = JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from a minimal upstream that always says the same thing.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 20, completion_tokens: 13, total_tokens: 33 } });
require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }); }).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;

function table(rows: Row[]): string {
  const lines = [
    '| client | workload | concurrency | req/s | output tokens/s | p50 ms | p99 ms | errors | server CPU | req per server CPU-second |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const perCpu = row.serverCpu > 0 ? Math.round(row.requestsPerSecond / row.serverCpu) : 0;
    lines.push(
      `| ${row.client} | ${row.workload} | ${row.concurrency} | ${Math.round(row.requestsPerSecond).toLocaleString('en-US')} | ${row.tokensPerSecond === undefined ? '–' : Math.round(row.tokensPerSecond).toLocaleString('en-US')} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.errors} | ${Math.round(row.serverCpu * 100)}% | ${perCpu.toLocaleString('en-US')} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  const machine = {
    date: execFileSync('date', ['-u']).toString().trim(),
    cores: execFileSync('nproc').toString().trim(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
  };
  console.error(`simulator benchmark: ${DURATION_S}s per configuration, load average at start ${load}`);
  const rows: Row[] = [];

  const baseline = await startChild(['-e', MINIMAL_UPSTREAM], /listening on (http:\/\/\S+)/);
  rows.push(
    await measure(baseline, 'autocannon', 'baseline: minimal node:http, fixed body', 64, () =>
      autocannon(baseline.url, 64, PLAIN_BODY),
    ),
  );
  await stop(baseline);

  const simulator = await startChild(
    [
      join(root, 'packages/cli/src/bin.ts'),
      'simulator',
      '--port',
      '0',
      '--rpm',
      '1000000000',
      '--tpm',
      '1000000000000',
    ],
    /listening on (http:\/\/\S+)/,
  );
  const chat = `${simulator.url}/v1/chat/completions`;
  try {
    for (const concurrency of CONCURRENCY) {
      rows.push(
        await measure(simulator, 'autocannon', 'non-streaming', concurrency, () =>
          autocannon(chat, concurrency, PLAIN_BODY),
        ),
      );
    }
    for (const concurrency of CONCURRENCY) {
      rows.push(
        await measure(simulator, 'autocannon', `streaming, ${STREAM_TOKENS} tokens`, concurrency, () =>
          autocannon(chat, concurrency, STREAM_BODY, { 'x-sim-answer-tokens': String(STREAM_TOKENS) }),
        ),
      );
    }
    for (const concurrency of CONCURRENCY) {
      rows.push(
        await measure(simulator, 'openai SDK', 'non-streaming', concurrency, () =>
          sdkRun(simulator.url, concurrency, false),
        ),
      );
    }
    for (const concurrency of CONCURRENCY) {
      rows.push(
        await measure(simulator, 'openai SDK', `streaming, ${STREAM_TOKENS} tokens`, concurrency, () =>
          sdkRun(simulator.url, concurrency, true),
        ),
      );
    }
  } finally {
    await stop(simulator);
  }

  const goalRow = rows.find(
    (row) => row.client === 'autocannon' && row.workload === 'non-streaming' && row.concurrency === 64,
  );
  const achieved = Math.round(goalRow?.requestsPerSecond ?? 0);
  const capacity =
    goalRow && goalRow.serverCpu > 0 ? Math.round(goalRow.requestsPerSecond / goalRow.serverCpu) : 0;
  const report = [
    `${machine.date} · ${machine.cores} cores (${machine.cpu}) · Node ${machine.node} · ${DURATION_S} s per row · load average at start ${load}`,
    '',
    table(rows),
    '',
    `SDK rows are client-bound: the simulator used at most ${Math.round(Math.max(...rows.filter((row) => row.client === 'openai SDK').map((row) => row.serverCpu)) * 100)}% of a core while the SDK drove it, so the simulator is not the bottleneck of SDK-based benchmarks.`,
    '',
    `Goal: ≥ ${GOAL_RPS.toLocaleString('en-US')} non-streaming req/s to autocannon at concurrency 64 with rate limits and stats on: **${achieved.toLocaleString('en-US')} req/s, ${achieved >= GOAL_RPS ? 'met' : 'not met'}** (baseline minimal node:http in the same run: ${Math.round(rows[0]?.requestsPerSecond ?? 0).toLocaleString('en-US')} req/s; simulator server capacity ≈ ${capacity.toLocaleString('en-US')} req per CPU-second, autocannon sharing the 2 cores).`,
  ].join('\n');
  console.log(report);
  if (process.argv.includes('--write')) record(report);
}

/** Replaces the `## Simulator (issue 2)` section of bench/RESULTS.md, leaving other sections alone. */
function record(report: string): void {
  const path = join(root, 'bench/RESULTS.md');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = '# Benchmark results\n';
  }
  const heading = '## Simulator (issue 2)';
  const section = `${heading}\n\nRecorded by \`node bench/simulator.ts --write\` (instant profile; simulator in a child process with generous rate limits and stats on; streaming rows use \`x-sim-answer-tokens: ${STREAM_TOKENS}\`, tokens/s from the simulator's billed output). Shared 2-core machine: other engineers' jobs run at the same time, so read the load average with the numbers.\n\n${report}\n`;
  const start = text.indexOf(heading);
  if (start < 0) text = `${text.trimEnd()}\n\n${section}`;
  else {
    const next = text.indexOf('\n## ', start + heading.length);
    text = `${text.slice(0, start)}${section}${next < 0 ? '' : text.slice(next + 1)}`;
  }
  writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`);
  console.error(`recorded in ${path}`);
}

await main();
