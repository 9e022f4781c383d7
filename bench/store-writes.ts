/**
 * Call-log writes: batched writer vs plain single-row inserts, SQLite and PostgreSQL, with event-loop delay.
 *
 * 64 simulated callers (async loops) each produce call records as fast as they can, the way a
 * busy server's requests finish, and hand them to the store. One more scenario makes the records
 * the way a service does: 64 concurrent `client.generate` calls through the official OpenAI SDK to
 * the simulator (its own process, instant profile) over HTTP, with the client's log line on and
 * `store.sink()` as its sink; the loop delay there is what a caller of the client sees while the
 * call log is written. Batched: `store.sink().write()`
 * (callers wait on `store.writer.waitForCapacity()` so nothing is dropped; throughput is
 * measured up to `store.flush()` resolving). Baseline: each caller awaits its own single-row
 * INSERT (one transaction per record), the obvious way to write a log. `monitorEventLoopDelay`
 * runs through each scenario.
 *
 *   node bench/store-writes.ts [--records 100000] [--baseline-records 20000] [--callers 64]
 *                              [--postgres URL] [--only sqlite|postgres] [--scenarios id,id]
 *                              [--writer '{"maxBatch":512}']
 * PostgreSQL runs when --postgres or DATABASE_URL is set, in a throwaway schema.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CallRecord, createClient, uuidv7 } from '@reins/client';
import pg from 'pg';
import { recordToRowValues, rowFromValues } from '../packages/store/src/calls/call-row.ts';
import { guardCallParameters } from '../packages/store/src/calls/call-row-guard.ts';
import { createTextGuard } from '../packages/store/src/guard.ts';
import { type OpenStoreOptions, openStore } from '../packages/store/src/index.ts';
import { freePort, stop, waitFor } from './_harness.ts';

const { values: options } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    'baseline-records': { type: 'string', default: '20000' },
    callers: { type: 'string', default: '64' },
    postgres: { type: 'string' },
    only: { type: 'string' },
    // Exploratory runs: a comma-separated subset of scenario ids (see SCENARIO_IDS); default all.
    scenarios: { type: 'string' },
    // Exploratory runs: writer options as JSON for the batched scenarios, e.g. '{"concurrency":3}'.
    writer: { type: 'string' },
  },
});
const RECORDS = Number(options.records);
const BASELINE_RECORDS = Number(options['baseline-records']);
const CALLERS = Number(options.callers);
const POSTGRES_URL = options.postgres ?? process.env['DATABASE_URL'];

// Deterministic, realistic content: a templated system prompt, a user question, an answer.
const SYSTEM = [
  'You are a careful legal assistant. Answer in plain English, cite the clause numbers you rely on, and say when the document does not answer the question.',
  'You review patent claims for novelty. List prior-art risks, one per line, with the claim number and a confidence from 1 to 5.',
  'You summarise contracts for busy managers: parties, term, payment, termination, liability cap, anything unusual. Keep it under 200 words.',
];
const QUESTIONS = [
  'Summarise the termination clause of the attached services agreement and tell me whether either party can end it without cause.',
  'What is the liability cap in section 9, and does it exclude indirect damages? Quote the relevant sentence.',
  'Review claim 1 of the draft patent for a self-heating lunch box against the prior art we discussed last week.',
  'Does the confidentiality obligation survive termination, and for how long? The contract is governed by the law of England.',
];
const ANSWERS = [
  'Either party may terminate on 30 days written notice (clause 14.2). Without cause is allowed only after the first 12 months; before that, termination requires a material breach left uncured for 15 days (clause 14.3).',
  'The cap is the fees paid in the 12 months before the claim (clause 9.1). Indirect and consequential losses are excluded entirely (clause 9.3: "Neither party shall be liable for any indirect or consequential loss").',
  'Risk 1 (claim 1, confidence 4): exothermic heating pouches in food containers are well known. Risk 2 (claim 1, confidence 2): the hinged lid with a vent matches an earlier utility model.',
];
const TEMPLATES = ['legal_analysis', 'patent_review', 'contract_summary'];

let traceId = uuidv7();
function benchRecord(index: number): CallRecord {
  if (index % 3 === 0) traceId = uuidv7();
  const id = uuidv7();
  const template = TEMPLATES[index % TEMPLATES.length]!;
  return {
    id,
    callId: id,
    attempt: 1,
    traceId,
    provider: 'openai',
    model: index % 4 === 0 ? 'gpt-5.6-luna' : 'gpt-5.6-luna-mini',
    operation: 'generate',
    metadata: {
      traceId,
      userId: `user-${index % 500}`,
      ...(index % 10 === 0 ? { taskId: uuidv7() } : {}),
      tags: ['bench'],
      template: { name: template, version: '1.2.0', hash: 'sha256:4f9c2a7e', gitCommit: 'a1b2c3d' },
    },
    request: {
      system: SYSTEM[index % SYSTEM.length]!,
      messages: [{ role: 'user', content: QUESTIONS[index % QUESTIONS.length]! }],
      params: { maxTokens: 600, temperature: 0.2 },
    },
    response: { text: ANSWERS[index % ANSWERS.length]!, toolCalls: [], finishReason: 'stop' },
    usage: {
      inputTokens: 412,
      cachedInputTokens: 256,
      cacheWriteTokens: 0,
      outputTokens: 96,
      reasoningTokens: 0,
    },
    costUsd: 0.000731,
    latencyMs: 840 + (index % 200),
    ttftMs: 210 + (index % 50),
    status: index % 50 === 0 ? 'error' : 'ok',
    errorClass: index % 50 === 0 ? 'RateLimitError' : null,
    errorMessage: index % 50 === 0 ? '429 Too Many Requests' : null,
    startedAt: new Date().toISOString(),
    simulated: true,
  };
}

/**
 * Per-thread CPU and run-queue wait (Linux `/proc/self/task/<tid>/schedstat`: nanoseconds on a
 * CPU, nanoseconds runnable but waiting for one). The wait is what a busy shared machine costs
 * each thread; a thread's wall time minus both is time it sat blocked (idle or on I/O).
 */
type ThreadTimes = Map<number, { name: string; cpuNs: number; waitNs: number }>;
function readThreads(): ThreadTimes {
  const threads: ThreadTimes = new Map();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const [cpuNs, waitNs] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      threads.set(Number(tid), { name, cpuNs: cpuNs ?? 0, waitNs: waitNs ?? 0 });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}
/** The last reading of every thread seen during the current scenario (worker threads end at close). */
let lastSeen: ThreadTimes = new Map();
function sampleThreads(): void {
  for (const [tid, times] of readThreads()) lastSeen.set(tid, times);
}

type ThreadSplit = Record<
  'main' | 'worker' | 'checkpointer' | 'v8' | 'other',
  { cpuNs: number; waitNs: number }
>;
function splitThreads(before: ThreadTimes, after: ThreadTimes): ThreadSplit {
  const split: ThreadSplit = {
    main: { cpuNs: 0, waitNs: 0 },
    worker: { cpuNs: 0, waitNs: 0 },
    checkpointer: { cpuNs: 0, waitNs: 0 },
    v8: { cpuNs: 0, waitNs: 0 },
    other: { cpuNs: 0, waitNs: 0 },
  };
  // Worker threads started during the run, in start order: the SQLite connection, then the checkpointer.
  const started = [...after.keys()].filter(
    (tid) => !before.has(tid) && after.get(tid)!.name === 'WorkerThread',
  );
  started.sort((a, b) => a - b);
  for (const [tid, times] of after) {
    const start = before.get(tid) ?? { cpuNs: 0, waitNs: 0 };
    const key =
      times.name === 'MainThread'
        ? 'main'
        : tid === started[0]
          ? 'worker'
          : tid === started[1]
            ? 'checkpointer'
            : times.name === 'V8Worker'
              ? 'v8'
              : 'other';
    split[key].cpuNs += times.cpuNs - start.cpuNs;
    split[key].waitNs += times.waitNs - start.waitNs;
  }
  return split;
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

type Result = {
  backend: string;
  scenario: string;
  records: number;
  seconds: number;
  perSecond: number;
  loopP50: number;
  loopP99: number;
  loopMax: number;
  /** Share of the run the loop spent in stalls longer than 10 ms (robust when it barely turned). */
  blockedPercent: number;
  cpuSeconds: number;
  mainCpuSeconds: number;
  dropped: number;
  threads: ThreadSplit;
};

async function measure(
  backend: string,
  scenario: string,
  records: number,
  run: () => Promise<number>,
): Promise<Result> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // The first sample only sets the histogram's reference point: take it before the run starts.
  await new Promise((resolve) => setTimeout(resolve, 5));
  let last = performance.now();
  let blocked = 0;
  const stall = () => {
    const now = performance.now();
    if (now - last > 10) blocked += now - last;
    last = now;
  };
  const sampler = setInterval(stall, 1);
  const threadsBefore = readThreads();
  lastSeen = new Map(threadsBefore);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const mainCpu = process.threadCpuUsage();
  const dropped = await run();
  const { user, system } = process.cpuUsage(cpu);
  const main = process.threadCpuUsage(mainCpu);
  const seconds = (performance.now() - started) / 1000;
  sampleThreads();
  const threads = splitThreads(threadsBefore, lastSeen);
  stall();
  clearInterval(sampler);
  // One more timer turn, so a loop that never turned during the run still shows as one long delay.
  await new Promise((resolve) => setTimeout(resolve, 2));
  histogram.disable();
  return {
    backend,
    scenario,
    records,
    seconds,
    perSecond: records / seconds,
    loopP50: histogram.percentile(50) / 1e6,
    loopP99: histogram.percentile(99) / 1e6,
    loopMax: histogram.max / 1e6,
    blockedPercent: (blocked / (seconds * 1000)) * 100,
    cpuSeconds: (user + system) / 1e6,
    mainCpuSeconds: (main.user + main.system) / 1e6,
    dropped,
    threads,
  };
}

async function callers(records: number, produce: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < records) await produce(next++);
    }),
  );
}

const quiet = { warn() {}, error() {} };

async function batched(
  url: string,
  extra: Partial<OpenStoreOptions> = {},
  userIndex = false,
): Promise<number> {
  const writer = options.writer === undefined ? {} : { writer: JSON.parse(options.writer) };
  const store = await openStore({ url, logger: quiet, ...writer, ...extra });
  if (userIndex) {
    // The index the schema leaves out on purpose (see 0001-call-log.ts), to show what it costs.
    await store.db.schema
      .createIndex('bench_user_id')
      .on('call_log')
      .columns(['user_id', 'created_at'])
      .execute();
  }
  const sink = store.sink();
  await callers(RECORDS, async (index) => {
    await store.writer.waitForCapacity();
    sink.write(benchRecord(index));
    await immediate();
  });
  await store.flush();
  const { dropped, failed, written } = store.writer.stats();
  sampleThreads();
  await store.close();
  if (written !== RECORDS) throw new Error(`wrote ${written} of ${RECORDS}`);
  return dropped + failed;
}

const SIMULATOR_KEY = 'sk-bench-store-0123456789abcdef';
/**
 * 64 concurrent real calls: the client (OpenAI SDK over HTTP to the simulator, one log line per
 * call to /dev/null) with `store.sink()`, until RECORDS calls have finished. No `waitForCapacity`:
 * the calls pace themselves as a service's do, and whatever the writer's bound drops is counted.
 */
async function clientCalls(url: string | null, simulatorUrl: string): Promise<number> {
  const { pino } = await import('pino');
  // `null`: the same calls with no store (the control: what the calls alone do to the loop).
  const store = url === null ? undefined : await openStore({ url, logger: quiet });
  const client = createClient({
    providers: { openai: { apiKey: SIMULATOR_KEY, baseURL: `${simulatorUrl}/v1` } },
    logger: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true, minLength: 4096 })),
    sinks: store === undefined ? [] : [store.sink()],
  });
  let failedCalls = 0;
  await callers(RECORDS, async (index) => {
    try {
      await client.generate({
        model: `openai/${index % 4 === 0 ? 'gpt-5.6-terra' : 'gpt-5.6-luna'}`,
        system: SYSTEM[index % SYSTEM.length]!,
        prompt: QUESTIONS[index % QUESTIONS.length]!,
        maxTokens: 64,
        metadata: {
          userId: `user-${index % 500}`,
          tags: ['bench'],
          template: {
            name: TEMPLATES[index % TEMPLATES.length]!,
            version: '1.2.0',
            hash: 'sha256:4f9c2a7e',
            gitCommit: 'a1b2c3d',
          },
        },
      });
    } catch {
      failedCalls++;
    }
  });
  if (failedCalls > 0) throw new Error(`${failedCalls} of ${RECORDS} calls failed`);
  if (store === undefined) return 0;
  await store.flush();
  const { dropped, failed, written } = store.writer.stats();
  sampleThreads();
  await store.close();
  if (written + dropped + failed !== RECORDS) throw new Error(`wrote ${written} of ${RECORDS}`);
  return dropped + failed;
}

/** The simulator in its own process (instant profile), started on first use. */
let simulator: { child: ChildProcess; url: string } | undefined;
async function simulatorUrl(): Promise<string> {
  if (simulator !== undefined) return simulator.url;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['packages/cli/src/bin.ts', 'simulator', '--port', String(port), '--profile', 'instant'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  simulator = { child, url: `http://127.0.0.1:${port}` };
  await waitFor(`${simulator.url}/v1/models`, { headers: { authorization: `Bearer ${SIMULATOR_KEY}` } });
  return simulator.url;
}

async function singleRow(url: string, extra: Partial<OpenStoreOptions> = {}): Promise<number> {
  const store = await openStore({ url, logger: quiet, ...extra });
  const spec = { secrets: createTextGuard().secrets };
  await callers(BASELINE_RECORDS, async (index) => {
    // The same record-to-row work and sanitizing check as the batched writer, one awaited INSERT each.
    const values = recordToRowValues(benchRecord(index));
    guardCallParameters(values, spec);
    await store.db.insertInto('call_log').values(rowFromValues(values)).execute();
  });
  sampleThreads();
  await store.close();
  return 0;
}

const loadAtStart = loadavg()
  .map((load) => load.toFixed(2))
  .join(' ');
const results: Result[] = [];
const selected = new Set(options.scenarios?.split(',') ?? []);
/** Runs a scenario unless --scenarios names others. */
async function scenario(
  id: string,
  backend: string,
  name: string,
  records: number,
  run: () => Promise<number>,
): Promise<void> {
  if (selected.size > 0 && !selected.has(id)) return;
  results.push(await measure(backend, name, records, run));
}
const folder = mkdtempSync(join(tmpdir(), 'reins-bench-store-'));
try {
  // Control: the same histogram over an idle process. On a shared machine the OS scheduler alone
  // delays timers; this is the floor the rows below cannot beat.
  await scenario('control', 'none', 'idle event loop, 3 s (control)', 0, async () => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return 0;
  });
  if (options.only !== 'postgres') {
    const file = (name: string) => `sqlite:${join(folder, `${name}.db`)}`;
    const main = { sqlite: { thread: 'main' as const } };
    await scenario(
      'sqlite-baseline',
      'SQLite',
      'single-row INSERT, main thread (baseline)',
      BASELINE_RECORDS,
      () => singleRow(file('a'), main),
    );
    await scenario(
      'sqlite-single-worker',
      'SQLite',
      'single-row INSERT, worker thread',
      BASELINE_RECORDS,
      () => singleRow(file('b')),
    );
    await scenario('sqlite-main', 'SQLite', 'batched writer, main thread', RECORDS, () =>
      batched(file('c'), main),
    );
    await scenario('sqlite', 'SQLite', 'batched writer, worker thread (default)', RECORDS, () =>
      batched(file('d')),
    );
    await scenario(
      'sqlite-user-index',
      'SQLite',
      'batched writer, worker thread, + index on user_id',
      RECORDS,
      () => batched(file('e'), {}, true),
    );
    if (selected.size === 0 || selected.has('sqlite-calls')) {
      const upstream = await simulatorUrl();
      await scenario(
        'sqlite-calls',
        'calls',
        `${CALLERS} concurrent client calls to the simulator, no store (control)`,
        RECORDS,
        () => clientCalls(null, upstream),
      );
      // Both rows under 'calls', so "vs baseline" reads as the calls' throughput with the call log
      // against without it.
      await scenario(
        'sqlite-calls',
        'calls',
        `${CALLERS} concurrent client calls to the simulator + SQLite batched writer (worker thread)`,
        RECORDS,
        () => clientCalls(file('f'), upstream),
      );
    }
  }
  if (options.only !== 'sqlite' && POSTGRES_URL?.startsWith('postgres')) {
    const schema = `reins_bench_${process.pid}`;
    const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    const admin = async (query: string) => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(query);
      await client.end();
    };
    try {
      await scenario(
        'postgres-baseline',
        'PostgreSQL',
        'single-row INSERT (baseline)',
        BASELINE_RECORDS,
        () => singleRow(url),
      );
      // Same starting point as the baseline (migrated, empty table), outside the clock.
      await admin(
        `do $$ begin if to_regclass('${schema}.call_log') is not null then truncate ${schema}.call_log; end if; end $$`,
      );
      await scenario('postgres', 'PostgreSQL', 'batched writer', RECORDS, () => batched(url));
    } finally {
      await admin(`drop schema if exists ${schema} cascade`);
    }
  }
} finally {
  if (simulator !== undefined) await stop(simulator.child);
  rmSync(folder, { recursive: true, force: true });
}

const baseline = new Map<string, number>();
for (const result of results) {
  if (result.records > 0 && !baseline.has(result.backend)) baseline.set(result.backend, result.perSecond);
}
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `\n${new Date().toUTCString()} · ${cpus().length} cores (${cpu}) · Node ${process.version} · load average at start ${loadAtStart}`,
);
console.log(
  `${CALLERS} concurrent callers; batched runs write ${RECORDS} records, baselines ${BASELINE_RECORDS}. ` +
    'CPU is this process (all its threads); PostgreSQL server CPU is not in it.\n',
);
console.log(
  '| backend | scenario | records | seconds | records/s | vs baseline | loop p50 ms | loop p99 ms | loop max ms | loop stalled > 10 ms | CPU s (main thread) | records per CPU-s | lost |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const number = (value: number) => Math.round(value).toLocaleString('en-US');
for (const r of results) {
  const idle = r.records === 0;
  const ratio = idle ? '–' : `${(r.perSecond / (baseline.get(r.backend) ?? r.perSecond)).toFixed(1)}×`;
  const cells = [
    r.backend,
    r.scenario,
    idle ? '–' : String(r.records),
    r.seconds.toFixed(2),
    idle ? '–' : number(r.perSecond),
    ratio,
    r.loopP50.toFixed(2),
    r.loopP99.toFixed(2),
    r.loopMax.toFixed(1),
    `${r.blockedPercent.toFixed(1)}%`,
    `${r.cpuSeconds.toFixed(2)} (${r.mainCpuSeconds.toFixed(2)})`,
    idle ? '–' : number(r.records / r.cpuSeconds),
    idle ? '–' : String(r.dropped),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}

console.log(
  '\nPer record, µs of CPU on each thread / µs it waited for a core (run-queue wait, from schedstat);\n' +
    '"worker idle" is the SQLite thread\'s wall time neither running nor waiting for a core (waiting for work, or I/O).\n',
);
console.log(
  '| backend | scenario | main | SQLite worker | worker idle | checkpointer | V8 helpers | other | all threads |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  if (r.records === 0) continue;
  const us = (ns: number) => (ns / 1000 / r.records).toFixed(1);
  const cell = ({ cpuNs, waitNs }: { cpuNs: number; waitNs: number }) => `${us(cpuNs)} / ${us(waitNs)}`;
  const t = r.threads;
  const idle = t.worker.cpuNs === 0 ? '–' : us(r.seconds * 1e9 - t.worker.cpuNs - t.worker.waitNs);
  const all = Object.values(t).reduce(
    (sum, x) => ({ cpuNs: sum.cpuNs + x.cpuNs, waitNs: sum.waitNs + x.waitNs }),
    { cpuNs: 0, waitNs: 0 },
  );
  console.log(
    `| ${r.backend} | ${r.scenario} | ${cell(t.main)} | ${cell(t.worker)} | ${idle} | ${cell(t.checkpointer)} | ${cell(t.v8)} | ${cell(t.other)} | ${cell(all)} |`,
  );
}
