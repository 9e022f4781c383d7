/**
 * SSE streams: 1,000 concurrent `POST /v1/stream` through `reins serve` vs the same streams straight from the simulator — TTFT added, server memory per stream.
 *
 * One simulator (realistic profile, `--latency-scale` so that a stream stays open for seconds:
 * a fixed time to first token, then tokens at a fixed pace) in its own process. `reins serve` in
 * real-provider mode pointed at it (logging at info, the SQLite call log, metrics, bearer auth,
 * rate limit out of the way), started with `--inspect` on a loopback port so the bench can force
 * a GC and read its heap. Per round: `--streams` concurrent raw-HTTP clients stream
 *   direct  POST simulator/v1/chat/completions  (stream: true; the baseline, same run)
 *   reins   POST reins/v1/stream                (SSE: text-delta … done)
 * TTFT is request sent → first text byte in the client's hands (a `content` delta, a
 * `text-delta` event); also request sent → response headers in. Every stream must end with its
 * terminator (`[DONE]`, `event: done`); anything else counts as an error. Memory, in one more
 * reins wave of its own after the timed ones (a forced GC at the peak would delay the first
 * tokens): the server's RSS (/proc/PID/status) and V8 heap after a forced GC (inspector
 * `HeapProfiler.collectGarbage`), idle vs with every stream open, divided by the streams. CPU
 * seconds per process per wave (driver, simulator, reins) show which one is the bottleneck. Concurrency at the simulator is read from
 * /proc/net/tcp: established connections to its port at that moment.
 *
 *   node bench/sse-streams.ts [--streams 1000] [--rounds 1] [--latency-scale 4]
 *   node bench/sse-streams.ts --write /tmp/results.md    also write the table (and notes) there
 *   node bench/sse-streams.ts --cpu-prof DIR             `reins serve` writes a CPU profile there
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, percentile, stop, waitFor } from './_harness.ts';

const { values: options } = parseArgs({
  options: {
    streams: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '1' },
    'latency-scale': { type: 'string', default: '4' },
    write: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STREAMS = Number(options.streams);
const ROUNDS = Number(options.rounds);
const LATENCY_SCALE = Number(options['latency-scale']);
const UPSTREAM_KEY = 'sk-bench-upstream-0123456789';
const REINS_KEY = 'bench-key-0123456789abcdef';
// gpt-5.6-sol: 1.6 s to first token, 100 tokens/s; this prompt's answer is 72 tokens, so at the
// default latency scale (4) a stream waits 6.4 s for its first token and then lasts ~2.9 s.
const MODEL = 'gpt-5.6-sol';
const PROMPT = 'Stream a short story about a benchmark that keeps a thousand connections open, take 35';
const MAX_TOKENS = 200;

type Path = {
  name: string;
  port: number;
  path: string;
  body: string;
  headers: Record<string, string>;
  /** The first text byte of the answer has arrived in this much of the body. */
  firstText: RegExp;
  /** The stream ended normally. */
  terminator: string;
};

type Wave = {
  ttft: number[];
  /** Request sent → response headers in (reins answers them once its upstream call answered). */
  headers: number[];
  completed: number;
  errors: number;
  /** Most streams open at once (response headers in, end not yet), as the client saw it. */
  peakOpen: number;
  /** Established connections to the simulator with every stream open (before the wave: `upstreamIdle`). */
  upstreamAtPeak: number | null;
  upstreamIdle: number;
  /** Every stream had its first text before any stream ended: all were open at once end to end. */
  allOverlapped: boolean;
  memory: Memory | null;
  durationMs: number;
  /** CPU seconds the server spent during the wave (reins only). */
  serverCpu: number | null;
  /** CPU seconds of each process during the wave: the driver (this process), the simulator, reins. */
  cpu: { driver: number; simulator: number; reins: number };
};

/** `heapAfterGc`: the peak was sampled before any first token, so a forced GC could not delay one. */
type Memory = { rss: number; heap: number; heapAfterGc: boolean };

function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

/** Established TCP connections whose local port is `port` (the server side of each connection). */
function establishedTo(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hex}`) && fields[3] === '01') count++;
    }
  }
  return count;
}

/** A minimal Chrome DevTools Protocol session over the global WebSocket (attached only to sample). */
async function inspector(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let next = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const send = (method: string, params: unknown = {}) =>
    new Promise<unknown>((resolve) => {
      const id = ++next;
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    /** Heap used, after a full GC when `gc`. */
    async heapUsed(gc: boolean): Promise<number> {
      if (gc) await send('HeapProfiler.collectGarbage');
      const result = (await send('Runtime.evaluate', {
        expression: 'process.memoryUsage().heapUsed',
        returnByValue: true,
      })) as { result: { value: number } };
      return result.result.value;
    },
    close: () => socket.close(),
  };
}

async function heapOf(inspectPort: number, gc: boolean): Promise<number> {
  const session = await inspector(inspectPort);
  try {
    return await session.heapUsed(gc);
  } finally {
    session.close();
  }
}

type Peak = { upstream: number; memory: Memory | null };

async function wave(
  path: Path,
  count: number,
  onPeak?: (beforeFirstText: boolean) => Promise<Peak>,
  upstreamPort?: number,
): Promise<Wave> {
  const upstreamIdle = upstreamPort === undefined ? 0 : establishedTo(upstreamPort);
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const ttft: number[] = [];
  const headers: number[] = [];
  let completed = 0;
  let errors = 0;
  let open = 0;
  let peakOpen = 0;
  let finished = 0;
  let firstEnd = Number.POSITIVE_INFINITY;
  let lastFirstText = 0;
  let sampling: Promise<Peak> | undefined;
  const maybeSample = () => {
    if (onPeak !== undefined && sampling === undefined && open === count && finished === 0) {
      sampling = onPeak(ttft.length === 0);
    }
  };
  const began = performance.now();
  const one = () =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      let text = '';
      let gotFirst = false;
      let settled = false;
      const done = (ok: boolean) => {
        if (settled) return;
        settled = true;
        finished++;
        firstEnd = Math.min(firstEnd, performance.now());
        if (ok) completed++;
        else errors++;
        resolve();
      };
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: path.port,
          path: path.path,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', ...path.headers },
        },
        (response) => {
          if (response.statusCode !== 200) {
            response.resume();
            done(false);
            return;
          }
          headers.push(performance.now() - sent);
          open++;
          peakOpen = Math.max(peakOpen, open);
          maybeSample();
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
            if (!gotFirst && path.firstText.test(text)) {
              gotFirst = true;
              ttft.push(performance.now() - sent);
              lastFirstText = performance.now();
            }
          });
          response.on('end', () => {
            open--;
            done(gotFirst && text.includes(path.terminator));
          });
          response.on('error', () => {
            open--;
            done(false);
          });
        },
      );
      outgoing.on('error', () => done(false));
      outgoing.end(path.body);
    });
  await Promise.all(Array.from({ length: count }, one));
  const durationMs = performance.now() - began;
  agent.destroy();
  const peak = sampling === undefined ? undefined : await sampling;
  ttft.sort((a, b) => a - b);
  headers.sort((a, b) => a - b);
  return {
    ttft,
    headers,
    completed,
    errors,
    peakOpen,
    upstreamAtPeak: peak?.upstream ?? null,
    upstreamIdle,
    allOverlapped: ttft.length === count && lastFirstText < firstEnd,
    memory: peak?.memory ?? null,
    durationMs,
    serverCpu: null,
    cpu: { driver: 0, simulator: 0, reins: 0 },
  };
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  const out = join(root, 'bench/out');
  mkdirSync(out, { recursive: true });
  const database = join(out, `sse-streams-${process.pid}.db`);
  try {
    const simulatorPort = await freePort();
    const simulator = start([
      'packages/cli/src/bin.ts',
      'simulator',
      '--port',
      String(simulatorPort),
      '--profile',
      'realistic',
      '--latency-scale',
      String(LATENCY_SCALE),
    ]);
    children.push(simulator);
    const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
    await waitFor(`${simulatorUrl}/v1/models`, { headers: { authorization: `Bearer ${UPSTREAM_KEY}` } });

    const reinsPort = await freePort();
    const inspectPort = await freePort();
    const profile =
      options['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options['cpu-prof']];
    const reins = start(
      [...profile, `--inspect=127.0.0.1:${inspectPort}`, 'packages/cli/src/bin.ts', 'serve'],
      {
        REINS_PORT: String(reinsPort),
        OPENAI_API_KEY: UPSTREAM_KEY,
        OPENAI_BASE_URL: `${simulatorUrl}/v1`,
        DATABASE_URL: `sqlite:${database}`,
        REDIS_URL: '',
        REINS_API_KEYS: `bench:${REINS_KEY}`,
        REINS_RATE_LIMIT_PER_MINUTE: '1000000',
        REINS_LOG_LEVEL: 'info',
      },
    );
    children.push(reins);
    await waitFor(`http://127.0.0.1:${reinsPort}/health`);

    const direct: Path = {
      name: 'direct (simulator)',
      port: simulatorPort,
      path: '/v1/chat/completions',
      body: JSON.stringify({
        model: MODEL,
        messages: [{ role: 'user', content: PROMPT }],
        max_tokens: MAX_TOKENS,
        stream: true,
        stream_options: { include_usage: true },
      }),
      headers: { authorization: `Bearer ${UPSTREAM_KEY}` },
      firstText: /"content":"[^"]/,
      terminator: 'data: [DONE]',
    };
    const viaReins: Path = {
      name: 'reins /v1/stream',
      port: reinsPort,
      path: '/v1/stream',
      body: JSON.stringify({ model: `openai/${MODEL}`, prompt: PROMPT, maxTokens: MAX_TOKENS }),
      headers: { authorization: `Bearer ${REINS_KEY}` },
      firstText: /event: text-delta/,
      terminator: 'event: done',
    };

    const load = loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
    // Warm up: JIT, connection pools, SQLite pages.
    for (const path of [direct, viaReins]) await wave(path, Math.min(100, STREAMS));
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const results: Record<string, Wave[]> = { [direct.name]: [], [viaReins.name]: [] };
    const idle: Memory[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [direct, viaReins] : [viaReins, direct];
      for (const path of order) {
        // No inspector in a TTFT wave: a forced GC at the peak stops reins for a second or more
        // right before the first tokens arrive (seen in a --cpu-prof: 1.4 s), which is TTFT
        // added by the bench. The heap is read in its own wave below.
        const onPeak = async (): Promise<Peak> => ({ upstream: establishedTo(simulatorPort), memory: null });
        const cpuBefore = cpuSeconds(reins.pid!);
        const simulatorCpuBefore = cpuSeconds(simulator.pid!);
        const driverCpuBefore = process.cpuUsage();
        const result = await wave(path, STREAMS, onPeak, simulatorPort);
        const driverCpu = process.cpuUsage(driverCpuBefore);
        result.cpu = {
          driver: (driverCpu.user + driverCpu.system) / 1e6,
          simulator: cpuSeconds(simulator.pid!) - simulatorCpuBefore,
          reins: cpuSeconds(reins.pid!) - cpuBefore,
        };
        if (path === viaReins) result.serverCpu = result.cpu.reins;
        results[path.name]!.push(result);
        console.error(
          `  ${path.name}, round ${round + 1}: ${result.completed}/${STREAMS} completed, ${result.errors} errors, TTFT p50 ${percentile(result.ttft, 0.5).toFixed(1)} ms (headers p50 ${percentile(result.headers, 0.5).toFixed(1)}, p99 ${percentile(result.headers, 0.99).toFixed(1)}), CPU s driver ${result.cpu.driver.toFixed(1)} simulator ${result.cpu.simulator.toFixed(1)} reins ${result.cpu.reins.toFixed(1)}, peak open ${result.peakOpen}, at simulator ${result.upstreamAtPeak ?? '–'} (idle ${result.upstreamIdle}), all overlapped ${result.allOverlapped}, ${Math.round(result.durationMs)} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    // Memory: one more reins wave, its own; its TTFT is not reported (the forced GC delays it).
    const memoryWaves: Wave[] = [];
    {
      const heap = await heapOf(inspectPort, true);
      idle.push({ rss: rssBytes(reins.pid!), heap, heapAfterGc: true });
      const onPeak = async (beforeFirstText: boolean): Promise<Peak> => {
        const upstream = establishedTo(simulatorPort);
        const rss = rssBytes(reins.pid!);
        const heap = await heapOf(inspectPort, beforeFirstText);
        return { upstream, memory: { rss, heap, heapAfterGc: beforeFirstText } };
      };
      const result = await wave(viaReins, STREAMS, onPeak, simulatorPort);
      memoryWaves.push(result);
      console.error(
        `  ${viaReins.name}, memory wave: ${result.completed}/${STREAMS} completed, ${result.errors} errors, peak open ${result.peakOpen}, memory ${result.memory === null ? 'not sampled' : 'sampled'}`,
      );
    }
    const report = format(results, memoryWaves, idle, load, direct.name, viaReins.name);
    console.log(report);
    if (options.write !== undefined) {
      writeFileSync(options.write, `${report}\n`);
      console.error(`written to ${options.write}`);
    }
  } finally {
    for (const child of children.reverse()) await stop(child);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
  }
}

function format(
  results: Record<string, Wave[]>,
  memoryWaves: Wave[],
  idle: Memory[],
  load: string,
  directName: string,
  reinsName: string,
): string {
  const pooled = (name: string) => {
    const waves = results[name]!;
    const ttft = waves.flatMap((entry) => entry.ttft).sort((a, b) => a - b);
    const headers = waves.flatMap((entry) => entry.headers).sort((a, b) => a - b);
    const sum = (key: 'driver' | 'simulator' | 'reins') =>
      waves.reduce((total, entry) => total + entry.cpu[key], 0);
    return {
      ttft,
      headers,
      cpu: `${sum('driver').toFixed(1)} / ${sum('simulator').toFixed(1)} / ${sum('reins').toFixed(1)}`,
      completed: waves.reduce((sum, entry) => sum + entry.completed, 0),
      errors: waves.reduce((sum, entry) => sum + entry.errors, 0),
      peakOpen: Math.min(...waves.map((entry) => entry.peakOpen)),
      upstream: waves
        .map((entry) => `${entry.upstreamAtPeak ?? '–'} (${entry.upstreamIdle} before)`)
        .join(', '),
      overlapped: waves.every((entry) => entry.allOverlapped) ? 'yes' : 'no',
    };
  };
  const base = pooled(directName);
  const reins = pooled(reinsName);
  const shares = [0.5, 0.95, 0.99] as const;
  const lines = [
    `${new Date().toUTCString()} · ${cpus().length} cores · Node ${process.version} · ${STREAMS.toLocaleString('en-US')} concurrent streams × ${ROUNDS} round(s) per path · simulator realistic, latency scale ${LATENCY_SCALE} · load average at start ${load}`,
    '',
    '| path | streams completed | errors | TTFT p50 ms | p95 ms | p99 ms | added p50 ms | added p95 ms | added p99 ms | headers in p50 ms | p99 ms | CPU s driver / simulator / reins | most open at once (client) | connections at simulator, all open | all first texts before any end |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [name, row] of [
    [directName, base],
    [reinsName, reins],
  ] as const) {
    const isBase = row === base;
    const cells = shares.map((share) => percentile(row.ttft, share).toFixed(1));
    const added = shares.map((share) =>
      isBase ? '–' : (percentile(row.ttft, share) - percentile(base.ttft, share)).toFixed(1),
    );
    lines.push(
      `| ${name} | ${row.completed.toLocaleString('en-US')} | ${row.errors} | ${cells.join(' | ')} | ${added.join(' | ')} | ${percentile(row.headers, 0.5).toFixed(1)} | ${percentile(row.headers, 0.99).toFixed(1)} | ${row.cpu} | ${row.peakOpen.toLocaleString('en-US')} | ${row.upstream} | ${row.overlapped} |`,
    );
  }
  const peaks = memoryWaves.flatMap((entry) => (entry.memory === null ? [] : [entry.memory]));
  const cpu = results[reinsName]!.flatMap((entry) => (entry.serverCpu === null ? [] : [entry.serverCpu]));
  if (cpu.length > 0) {
    const seconds = cpu.reduce((sum, value) => sum + value, 0);
    lines.push(
      '',
      `Server CPU during the reins waves: ${seconds.toFixed(1)} s, **${((seconds * 1000) / (STREAMS * cpu.length)).toFixed(1)} ms per stream** (request, upstream stream, every delta re-sent as SSE, call log).`,
    );
  }
  if (peaks.length > 0 && idle.length > 0) {
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const kib = (bytes: number) => (bytes / 1024).toFixed(1);
    lines.push(
      '',
      '| server memory | idle | all streams open | per stream |',
      '| --- | ---: | ---: | ---: |',
    );
    peaks.forEach((peak, index) => {
      const before = idle[index]!;
      lines.push(
        `| RSS (memory wave) | ${mib(before.rss)} MiB | ${mib(peak.rss)} MiB | ${kib((peak.rss - before.rss) / STREAMS)} KiB |`,
        `| V8 heap used${peak.heapAfterGc ? ' after GC' : ' (peak without GC: a first text had arrived)'} (memory wave) | ${mib(before.heap)} MiB | ${mib(peak.heap)} MiB | ${kib((peak.heap - before.heap) / STREAMS)} KiB |`,
      );
    });
  } else {
    lines.push('', 'Memory at peak not sampled: the streams were never all open at once.');
  }
  return lines.join('\n');
}

await main();
