/**
 * Tasks throughput: tasks/s end to end (submit → succeeded) through `reins serve` with the in-process queue and with BullMQ + two `reins worker`, vs raw BullMQ with a no-op processor.
 *
 * One simulator (instant profile) in its own process; every reins process talks to it as a real
 * provider (logging at info, call log on, auth and rate limit out of the way). `--tasks`
 * `generate` tasks are submitted through `POST /v1/tasks`, `--submitters` requests in flight,
 * and the bench waits until the store counts them all succeeded. Latency is the task's own
 * `createdAt → finishedAt` as the store records it; tasks/s is tasks over first submit → last
 * finish. Rows, each on fresh state:
 *   in-process  `reins serve`, default queue, a fresh SQLite file
 *   bullmq      `reins serve` + two `reins worker`, Redis (fresh key prefix) and PostgreSQL (fresh schema)
 *   baseline    raw BullMQ: `Queue.add` × N (same submitters) and two worker processes with a
 *               no-op processor, same Redis, fresh prefix; latency `timestamp → finishedOn`
 * `--concurrency` is REINS_QUEUE_CONCURRENCY (the server's, each worker's) and the baseline
 * workers' concurrency.
 *
 *   node bench/tasks-throughput.ts [--tasks 2000] [--submitters 32] [--concurrency 16]
 *   node bench/tasks-throughput.ts --write /tmp/results.md    also write the table there
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… (defaults: the local test services)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTaskQueries, openStore } from '@reins/store';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const { values: options } = parseArgs({
  options: {
    tasks: { type: 'string', default: '2000' },
    submitters: { type: 'string', default: '32' },
    concurrency: { type: 'string', default: '16' },
    write: { type: 'string' },
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

type Row = {
  name: string;
  tasks: number;
  seconds: number;
  latencies: number[];
  failed: number;
  /** CPU seconds of the processes serving the row (server and workers; baseline: its workers). */
  cpu: number;
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

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  server.close();
  return port;
}

/** Starts `node args…` and resolves once its stdout prints a line matching `ready`. */
async function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
  // Keep draining stdout (info logs) so the child never blocks on a full pipe.
  child.stdout!.resume();
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await once(child, 'exit');
  clearTimeout(timer);
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * share) - 1))] ?? 0;
}

async function submitAll(submit: (index: number) => Promise<void>): Promise<number> {
  const began = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < TASKS) await submit(next++);
  };
  await Promise.all(Array.from({ length: SUBMITTERS }, lane));
  return began;
}

async function until(check: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the tasks');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Submits through the API and waits on the store until every task finished. */
async function throughReins(
  name: string,
  url: string,
  storeUrl: string,
  processes: ChildProcess[],
): Promise<Row> {
  const cpuBefore = cpuSeconds(processes);
  const store = await openStore({ url: storeUrl, logger: silent });
  const tasks = createTaskQueries({ db: store.db, dialect: store.dialect });
  try {
    let rejected = 0;
    const began = await submitAll(async (index) => {
      const response = await fetch(`${url}/v1/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${REINS_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'generate',
          input: { model: 'openai/gpt-5.6-luna', prompt: `Task ${index}: say hello`, maxTokens: 32 },
        }),
      });
      await response.arrayBuffer();
      if (response.status !== 202) rejected++;
    });
    await until(async () => {
      const counts = await tasks.count();
      return counts.succeeded + counts.failed + counts.cancelled + counts.timed_out >= TASKS - rejected;
    });
    const cpu = cpuSeconds(processes) - cpuBefore;
    const latencies: number[] = [];
    let last = began;
    let failed = rejected;
    let cursor: string | undefined;
    do {
      const page = await tasks.list({ limit: 200, ...(cursor === undefined ? {} : { cursor }) });
      for (const task of page.items) {
        if (task.status !== 'succeeded' || task.finishedAt === null) {
          failed++;
          continue;
        }
        const finished = Date.parse(task.finishedAt);
        latencies.push(finished - Date.parse(task.createdAt));
        last = Math.max(last, finished);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    latencies.sort((a, b) => a - b);
    return { name, tasks: latencies.length, seconds: (last - began) / 1000, latencies, failed, cpu };
  } finally {
    await store.close();
  }
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
    const cpuBefore = cpuSeconds(workers);
    const began = await submitAll(async (index) => {
      await queue.add('noop', { index });
    });
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

    rows.push(await baseline());
    console.error(
      `  ${rows.at(-1)!.name}: ${(rows.at(-1)!.tasks / rows.at(-1)!.seconds).toFixed(0)} tasks/s`,
    );

    {
      const port = await freePort();
      const storeUrl = `sqlite:${database}`;
      const server = await start(
        ['packages/cli/src/bin.ts', 'serve'],
        { ...common, REINS_PORT: String(port), DATABASE_URL: storeUrl, REDIS_URL: '' },
        /reins serve: /,
      );
      try {
        rows.push(
          await throughReins('reins serve, in-process queue, SQLite', `http://127.0.0.1:${port}`, storeUrl, [
            server,
          ]),
        );
      } finally {
        await stop(server);
      }
      console.error(
        `  ${rows.at(-1)!.name}: ${(rows.at(-1)!.tasks / rows.at(-1)!.seconds).toFixed(0)} tasks/s`,
      );
    }

    {
      const port = await freePort();
      const storeUrl = `${POSTGRES}?schema=${schema}`;
      const env = { ...common, DATABASE_URL: storeUrl, REDIS_URL: REDIS, REINS_QUEUE_PREFIX: prefix };
      const server = await start(
        ['packages/cli/src/bin.ts', 'serve'],
        { ...env, REINS_PORT: String(port) },
        /reins serve: /,
      );
      const workers = [
        await start(['packages/cli/src/bin.ts', 'worker'], env, /reins worker: /),
        await start(['packages/cli/src/bin.ts', 'worker'], env, /reins worker: /),
      ];
      try {
        rows.push(
          await throughReins(
            'reins serve + 2 reins worker, BullMQ, PostgreSQL',
            `http://127.0.0.1:${port}`,
            storeUrl,
            [server, ...workers],
          ),
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
    for (const child of children.reverse()) await stop(child);
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
  const lines = [
    `${new Date().toUTCString()} · ${cpus().length} cores · Node ${process.version} · ${TASKS.toLocaleString('en-US')} generate tasks (simulator instant) · ${SUBMITTERS} submitters · queue concurrency ${CONCURRENCY} · load average at start ${load}`,
    '',
    '| path | tasks succeeded | failed | tasks/s | × baseline | p50 submit→succeeded ms | p99 ms | CPU ms per task (server + workers) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${row.tasks.toLocaleString('en-US')} | ${row.failed} | ${Math.round(rate(row)).toLocaleString('en-US')} | ${row === base ? '1' : (rate(row) / rate(base)).toFixed(3)} | ${percentile(row.latencies, 0.5).toFixed(0)} | ${percentile(row.latencies, 0.99).toFixed(0)} | ${((row.cpu * 1000) / Math.max(1, row.tasks)).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}
