/**
 * Tasks throughput: tasks/s end to end (submit → succeeded) through `reins serve` with the in-process queue and with BullMQ + two `reins worker`, vs raw BullMQ with a no-op processor.
 *
 * One simulator (instant profile) in its own process; every reins process talks to it as a real
 * provider (logging at info, call log on, auth and rate limit out of the way). `--tasks`
 * `generate` tasks are submitted through `POST /v1/tasks`, `--submitters` requests in flight,
 * and the bench waits, through the API (`GET /v1/tasks?status=queued|running&limit=1` every
 * 250 ms; it never opens the store itself), until none is left. Latency is the task's own
 * `createdAt → finishedAt` as the store records it; tasks/s is tasks over first submit → last
 * finish. Each row first warms up (200 plain generates, 200 tasks or jobs, unmeasured). Rows,
 * each on fresh state:
 *   in-process  `reins serve`, default queue, a fresh SQLite file
 *   bullmq      `reins serve` + two `reins worker`, Redis (fresh key prefix) and PostgreSQL (fresh schema)
 *   baseline    raw BullMQ: `Queue.add` × N (same submitters) and two worker processes with a
 *               no-op processor, same Redis, fresh prefix; latency `timestamp → finishedOn`
 * `--concurrency` is REINS_QUEUE_CONCURRENCY (the server's, each worker's) and the baseline
 * workers' concurrency. CPU is read from /proc for the serving processes (reins: server and
 * workers; baseline: its workers). The reference for what a task should cost: on each reins
 * row's API server, 1,000 plain `POST /v1/generate` with the tasks' own input, same submitters,
 * CPU per call (the last column divides the task's CPU by it).
 *
 *   node bench/tasks-throughput.ts [--tasks 2000] [--submitters 32] [--concurrency 16]
 *   node bench/tasks-throughput.ts --write /tmp/results.md    also write the table there
 *   node bench/tasks-throughput.ts --rows in-process,bullmq   exploratory: a subset of the rows
 *   node bench/tasks-throughput.ts --cpu-prof DIR --logs DIR  V8 profiles / stdout logs of the reins processes
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… (defaults: the local test services)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openStore } from '@reins/store';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { freePort, percentile, stop } from './_harness.ts';

const { values: options } = parseArgs({
  options: {
    tasks: { type: 'string', default: '2000' },
    submitters: { type: 'string', default: '32' },
    concurrency: { type: 'string', default: '16' },
    write: { type: 'string' },
    rows: { type: 'string', default: 'baseline,in-process,bullmq' },
    'cpu-prof': { type: 'string' },
    logs: { type: 'string' },
    'baseline-worker': { type: 'string' },
  },
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TASKS = Number(options.tasks);
const SUBMITTERS = Number(options.submitters);
const CONCURRENCY = Number(options.concurrency);
const POSTGRES = process.env['DATABASE_URL']?.startsWith('postgres')
  ? process.env['DATABASE_URL']
  : 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const UPSTREAM_KEY = 'sk-bench-upstream-0123456789';
const REINS_KEY = 'bench-key-0123456789abcdef';
const QUEUE_NAME = 'bench-noop';
const silent = { warn() {}, error() {} };
const ROWS = new Set(options.rows.split(','));
/** Unmeasured warm-up (JIT, connections) before each measurement: generates, tasks, baseline jobs. */
const WARMUP = 200;
/** Every process `start` spawned, so a failed row still stops what it started. */
const spawned: ChildProcess[] = [];
/** `--cpu-prof DIR`: the reins processes write V8 CPU profiles there on exit (exploration only). */
const PROFILE =
  options['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options['cpu-prof']}`];

type Row = {
  name: string;
  tasks: number;
  seconds: number;
  latencies: number[];
  failed: number;
  /** CPU seconds of the processes serving the row (server and workers; baseline: its workers). */
  cpu: number;
  /** Of `cpu`, the API server's share (reins rows). */
  serverCpu?: number;
  /** Server CPU ms per plain `POST /v1/generate` (same body, same server, same row): the call's own cost. */
  generateMs?: number;
};

function cpuSeconds(children: ChildProcess[]): number {
  let total = 0;
  for (const child of children) {
    try {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // exited
    }
  }
  return total;
}

// A baseline worker process: a BullMQ Worker whose processor does nothing.
if (options['baseline-worker'] !== undefined) {
  const worker = new Worker(QUEUE_NAME, async () => undefined, {
    connection: { url: REDIS },
    prefix: options['baseline-worker'],
    concurrency: CONCURRENCY,
  });
  await worker.waitUntilReady();
  console.log('ready');
  process.on('SIGTERM', () => {
    void worker.close().then(() => process.exit(0));
  });
} else {
  await main();
}

/** Starts `node args…` and resolves once its stdout prints a line matching `ready`. */
async function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start:\n${output}`)), 30_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => {
      if (output.length < 10_000) output += text;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}):\n${output}`)));
  });
  // Keep draining stdout (info logs) so the child never blocks on a full pipe; `--logs DIR` keeps them.
  if (options.logs === undefined) child.stdout!.resume();
  else
    child.stdout!.pipe(
      createWriteStream(join(options.logs, `${basename(args.at(-1) ?? 'child')}-${child.pid}.log`)),
    );
  return child;
}

/** Runs `submit` `count` times (default `--tasks`), `--submitters` at a time; resolves to the start time. */
async function submitAll(submit: (index: number) => Promise<void>, count = TASKS): Promise<number> {
  const began = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < count) await submit(next++);
  };
  await Promise.all(Array.from({ length: SUBMITTERS }, lane));
  return began;
}

async function until(check: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the tasks');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function generateBody(index: number) {
  return { model: 'openai/gpt-5.6-luna', prompt: `Task ${index}: say hello`, maxTokens: 32 };
}

/**
 * The reference: server CPU ms per plain `POST /v1/generate` of the tasks' own input, same
 * submitters, on the row's API server (which runs the same client and call log as a worker).
 */
async function plainGenerateMs(url: string, server: ChildProcess): Promise<number> {
  const generate = async (index: number) => {
    const response = await fetch(`${url}/v1/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${REINS_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(generateBody(index)),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`POST /v1/generate answered ${response.status}`);
  };
  await submitAll(generate, WARMUP);
  const calls = Math.min(TASKS, 1000);
  const cpuBefore = cpuSeconds([server]);
  await submitAll(generate, calls);
  return ((cpuSeconds([server]) - cpuBefore) * 1000) / calls;
}

type TaskSummary = {
  id: string;
  status: string;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

/** `GET path` on the API as the bench's key. */
async function api<T>(url: string, path: string): Promise<T> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${REINS_KEY}` } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/**
 * Submits through the API and waits, through the API, until no task is queued or running. The
 * bench never opens the store itself: a second SQLite connection polling the file is load (and
 * lock contention) that a real deployment does not have.
 */
async function throughReins(name: string, url: string, processes: ChildProcess[]): Promise<Row> {
  const server = processes[0]!;
  const generateMs = await plainGenerateMs(url, server);
  let rejected = 0;
  const submit = async (index: number) => {
    const response = await fetch(`${url}/v1/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${REINS_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'generate', input: generateBody(index) }),
    });
    await response.arrayBuffer();
    if (response.status !== 202) rejected++;
  };
  // Two one-item pages every 250 ms: cheap next to the work measured.
  const drained = async () => {
    for (const status of ['queued', 'running']) {
      const page = await api<{ items: unknown[] }>(url, `/v1/tasks?status=${status}&limit=1`);
      if (page.items.length > 0) return false;
    }
    return true;
  };
  // Warm-up tasks (not measured, finished before the measured ones are submitted).
  await submitAll(submit, WARMUP);
  await until(drained);
  const cpuBefore = cpuSeconds(processes);
  const serverBefore = cpuSeconds([server]);
  const began = await submitAll(submit);
  await until(drained);
  const cpu = cpuSeconds(processes) - cpuBefore;
  const serverCpu = cpuSeconds([server]) - serverBefore;
  const latencies: number[] = [];
  let last = began;
  let failed = rejected;
  let cursor: string | null = null;
  do {
    const page: { items: TaskSummary[]; nextCursor: string | null } = await api(
      url,
      `/v1/tasks?limit=200${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    for (const task of page.items) {
      if (Date.parse(task.createdAt) < began) continue; // warm-up
      if (task.status !== 'succeeded' || task.finishedAt === null) {
        failed++;
        continue;
      }
      const finished = Date.parse(task.finishedAt);
      const latency = finished - Date.parse(task.createdAt);
      latencies.push(latency);
      if (latency > 10_000) {
        console.error(
          `  slow task ${task.id}: attempts ${task.attempts}, created ${task.createdAt}, started ${task.startedAt}, finished ${task.finishedAt}`,
        );
      }
      last = Math.max(last, finished);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  latencies.sort((a, b) => a - b);
  return {
    name,
    tasks: latencies.length,
    seconds: (last - began) / 1000,
    latencies,
    failed,
    cpu,
    serverCpu,
    generateMs,
  };
}

async function baseline(): Promise<Row> {
  const prefix = `bench-baseline-${process.pid}-${Date.now()}`;
  const workers: ChildProcess[] = [];
  const queue = new Queue(QUEUE_NAME, { connection: { url: REDIS }, prefix });
  try {
    for (let index = 0; index < 2; index++) {
      workers.push(
        await start(
          [fileURLToPath(import.meta.url), '--baseline-worker', prefix, '--concurrency', String(CONCURRENCY)],
          {},
          /ready/,
        ),
      );
    }
    const add = async (index: number) => {
      await queue.add('noop', { index });
    };
    await submitAll(add, WARMUP);
    await until(async () => ((await queue.getJobCounts('completed'))['completed'] ?? 0) >= WARMUP);
    await queue.clean(0, WARMUP, 'completed');
    const cpuBefore = cpuSeconds(workers);
    const began = await submitAll(add);
    await until(async () => ((await queue.getJobCounts('completed'))['completed'] ?? 0) >= TASKS);
    const cpu = cpuSeconds(workers) - cpuBefore;
    const jobs = await queue.getJobs(['completed'], 0, TASKS);
    const latencies = jobs.map((job) => job.finishedOn! - job.timestamp).sort((a, b) => a - b);
    const last = Math.max(...jobs.map((job) => job.finishedOn!));
    return {
      name: 'raw BullMQ, no-op processor, 2 workers (baseline)',
      tasks: jobs.length,
      seconds: (last - began) / 1000,
      latencies,
      failed: TASKS - jobs.length,
      cpu,
    };
  } finally {
    for (const worker of workers) await stop(worker);
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  const out = join(root, 'bench/out');
  mkdirSync(out, { recursive: true });
  const database = join(out, `tasks-throughput-${process.pid}.db`);
  const schema = `bench_tasks_${process.pid}_${Date.now()}`;
  const prefix = `bench-tasks-${process.pid}-${Date.now()}`;
  const rows: Row[] = [];
  try {
    const simulatorPort = await freePort();
    const simulator = await start(
      ['packages/cli/src/bin.ts', 'simulator', '--port', String(simulatorPort), '--profile', 'instant'],
      {},
      /./,
    );
    children.push(simulator);
    const common = {
      OPENAI_API_KEY: UPSTREAM_KEY,
      OPENAI_BASE_URL: `http://127.0.0.1:${simulatorPort}/v1`,
      REINS_API_KEYS: `bench:${REINS_KEY}`,
      REINS_RATE_LIMIT_PER_MINUTE: '1000000',
      REINS_LOG_LEVEL: 'info',
      REINS_QUEUE_CONCURRENCY: String(CONCURRENCY),
    };
    const load = loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');

    if (ROWS.has('baseline')) {
      rows.push(await baseline());
      console.error(
        `  ${rows.at(-1)!.name}: ${(rows.at(-1)!.tasks / rows.at(-1)!.seconds).toFixed(0)} tasks/s`,
      );
    }

    if (ROWS.has('in-process')) {
      const port = await freePort();
      const storeUrl = `sqlite:${database}`;
      const server = await start(
        [...PROFILE, 'packages/cli/src/bin.ts', 'serve'],
        { ...common, REINS_PORT: String(port), DATABASE_URL: storeUrl, REDIS_URL: '' },
        /reins serve: /,
      );
      try {
        rows.push(
          await throughReins('reins serve, in-process queue, SQLite', `http://127.0.0.1:${port}`, [server]),
        );
      } finally {
        await stop(server);
      }
      console.error(
        `  ${rows.at(-1)!.name}: ${(rows.at(-1)!.tasks / rows.at(-1)!.seconds).toFixed(0)} tasks/s`,
      );
    }

    if (ROWS.has('bullmq')) {
      const port = await freePort();
      const storeUrl = `${POSTGRES}?schema=${schema}`;
      const env = { ...common, DATABASE_URL: storeUrl, REDIS_URL: REDIS, REINS_QUEUE_PREFIX: prefix };
      const server = await start(
        [...PROFILE, 'packages/cli/src/bin.ts', 'serve'],
        { ...env, REINS_PORT: String(port) },
        /reins serve: /,
      );
      const workers = [
        await start([...PROFILE, 'packages/cli/src/bin.ts', 'worker'], env, /reins worker: /),
        await start([...PROFILE, 'packages/cli/src/bin.ts', 'worker'], env, /reins worker: /),
      ];
      try {
        rows.push(
          await throughReins('reins serve + 2 reins worker, BullMQ, PostgreSQL', `http://127.0.0.1:${port}`, [
            server,
            ...workers,
          ]),
        );
      } finally {
        for (const child of [...workers, server]) await stop(child);
      }
      console.error(
        `  ${rows.at(-1)!.name}: ${(rows.at(-1)!.tasks / rows.at(-1)!.seconds).toFixed(0)} tasks/s`,
      );
    }

    const report = format(rows, load);
    console.log(report);
    if (options.write !== undefined) {
      writeFileSync(options.write, `${report}\n`);
      console.error(`written to ${options.write}`);
    }
  } finally {
    for (const child of [...children, ...spawned].reverse()) await stop(child);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
    const store = await openStore({ url: `${POSTGRES}?schema=${schema}`, logger: silent }).catch(
      () => undefined,
    );
    if (store !== undefined) {
      await store.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await store.close();
    }
    const redis = new Redis(REDIS);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

function format(rows: Row[], load: string): string {
  const base = rows[0]!;
  const rate = (row: Row) => row.tasks / row.seconds;
  const perTask = (seconds: number, row: Row) => ((seconds * 1000) / Math.max(1, row.tasks)).toFixed(2);
  const lines = [
    `${new Date().toUTCString()} · ${cpus().length} cores · Node ${process.version} · ${TASKS.toLocaleString('en-US')} generate tasks (simulator instant) · ${SUBMITTERS} submitters · queue concurrency ${CONCURRENCY} · load average at start ${load}`,
    '',
    '| path | tasks succeeded | failed | tasks/s | × baseline | p50 submit→succeeded ms | p99 ms | max ms | CPU ms per task (server + workers) | of which API server | plain POST /v1/generate CPU ms (same server) | task ÷ generate CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${row.tasks.toLocaleString('en-US')} | ${row.failed} | ${Math.round(rate(row)).toLocaleString('en-US')} | ${row === base ? '1' : (rate(row) / rate(base)).toFixed(3)} | ${percentile(row.latencies, 0.5).toFixed(0)} | ${percentile(row.latencies, 0.99).toFixed(0)} | ${(row.latencies.at(-1) ?? 0).toFixed(0)} | ${perTask(row.cpu, row)} | ${row.serverCpu === undefined ? '–' : perTask(row.serverCpu, row)} | ${row.generateMs === undefined ? '–' : row.generateMs.toFixed(2)} | ${row.generateMs === undefined ? '–' : `${((row.cpu * 1000) / Math.max(1, row.tasks) / row.generateMs).toFixed(2)}×`} |`,
    );
  }
  return lines.join('\n');
}
