/**
 * Eval runs: rows × 3 models through `reins eval run` on the realistic simulator under rate limits, vs promptfoo.
 *
 * One simulator (realistic latencies, `--rpm` per API key and model) serves both tools, as the
 * OpenAI and Anthropic endpoints named by OPENAI_BASE_URL / ANTHROPIC_BASE_URL (reins) or
 * `apiBaseUrl` (promptfoo). Each tool runs the same CSV (the contract_summary layout), the same
 * prompt text, 3 models, `max_tokens` and a ROUGE scorer, as its own
 * process: wall time is spawn to exit, peak memory is the kernel's VmHWM of that process (`reins
 * eval run` re-executes itself in place with its heap policy: same pid, VmHWM from then on). The
 * minimum the limits allow: every model's requests beyond the bucket's burst (`rpm`) at
 * `rpm`/60 per second, plus one call's latency. Two sizes show whether memory is flat in rows.
 *
 *   node bench/evals.ts [--rows 10000] [--small-rows 1000] [--rpm 3000] [--max-tokens 100]
 *                       [--concurrency N|auto] [--promptfoo-concurrency N]
 *                       [--promptfoo PATH/TO/promptfoo/dist/src/main.js | none]
 *                       [--root DIR[#N]]… [--skip-node-defaults]
 *
 * Concurrency: reins runs as a user runs it, with its default (`auto`: the runner finds how many
 * cells in flight the limits can use); `--concurrency N` fixes it instead. promptfoo needs a
 * number (`--max-concurrency`): twice what the limits sustain, so the buckets' burst is used.
 *
 * `--root` (repeatable) runs `reins eval run` from other checkouts too (a `git worktree` of an
 * earlier commit, with a node_modules whose `@reins/*` links point into that worktree: a plain
 * link to this node_modules would load this checkout's packages), in the same run as this one,
 * on the same simulator: before/after figures from one invocation. `DIR#N` runs that checkout
 * with `--concurrency N` (a commit from before `auto` defaults to 16). `--skip-node-defaults` leaves out the
 * second pass with `REINS_HEAP_POLICY=off`.
 *
 * promptfoo is not a dependency: install it anywhere (`npm install promptfoo` in a temp folder)
 * and pass the path of its entry script, or `none` to skip it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSimulator } from '@reins/simulator';
import { parse } from 'csv-parse';

const { values: options } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    'small-rows': { type: 'string', default: '1000' },
    rpm: { type: 'string', default: '3000' },
    'max-tokens': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: 'auto' },
    'promptfoo-concurrency': { type: 'string' },
    promptfoo: { type: 'string', default: 'none' },
    root: { type: 'string', multiple: true },
    'skip-node-defaults': { type: 'boolean', default: false },
  },
});
const ROWS = Number(options.rows);
const SMALL_ROWS = Number(options['small-rows']);
const RPM = Number(options.rpm);
const MAX_TOKENS = Number(options['max-tokens']);
const MODELS = ['openai/gpt-5.6-luna', 'anthropic/claude-haiku-4-5', 'openai/gpt-5.4-mini'];
// One call: ~600 ms to the first token plus max_tokens at ~200 tokens/s (the simulator's table).
const CALL_SECONDS = 0.6 + MAX_TOKENS / 190;
// reins: its default unless told. promptfoo: twice what the limits sustain, so the buckets' burst
// is used; the tool's own 429 retries keep it within the limits.
const CONCURRENCY = options.concurrency;
const PROMPTFOO_CONCURRENCY = Number(
  options['promptfoo-concurrency'] ?? Math.ceil(MODELS.length * (RPM / 60) * CALL_SECONDS * 2),
);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROOT_SPECS = (options.root ?? [ROOT]).map((spec) => {
  const [root, concurrency] = spec.split('#') as [string, string | undefined];
  return { root, concurrency: concurrency ?? CONCURRENCY };
});
const ROOTS = ROOT_SPECS.map((spec) => spec.root);

function concurrencyOf(root: string): string {
  return ROOT_SPECS.find((spec) => spec.root === root)?.concurrency ?? CONCURRENCY;
}

/** The checkout a row ran from: its short commit, `+` when its work tree has changes. */
function describeRoot(root: string): string {
  const git = (args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
  try {
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    return `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? '+' : ''}`;
  } catch {
    return root;
  }
}

const TYPES = ['NDA', 'supply agreement', 'software licence', 'commercial lease', 'services agreement'];
const PARTIES = [
  'Acme Ltd and Bolt plc',
  'Harbour Analytics Ltd and Kestrel GmbH',
  'Corrugo Ltd and Tidewell Ltd',
];

/** A contract_summary dataset with `rows` distinct rows (~250 words of contract each). */
function writeDataset(path: string, rows: number): void {
  const lines = ['contract_title,parties,contract_date,contract_type,contract_content,ideal_output'];
  for (let row = 1; row <= rows; row++) {
    const type = TYPES[row % TYPES.length]!;
    const clauses = Array.from(
      { length: 8 },
      (_, clause) =>
        `${clause + 1}. The ${clause % 2 === 0 ? 'supplier' : 'customer'} shall, within ${(row + clause) % 60} days, ` +
        `deliver the item numbered ${row * 10 + clause}, keep it insured for GBP ${(row % 90) * 1000 + clause}, and give ` +
        `written notice of any "defect" before acting; liability is capped at the fees paid in the prior ${clause + 6} months.`,
    ).join('\n');
    const ideal = `1. Key terms: a ${type} for item ${row * 10}. 2. Obligations: delivery within ${row % 60} days, insurance. 3. Deadlines: notice before acting. 4. Risks: capped liability. 5. Amendments: define "defect".`;
    const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
    lines.push(
      [
        `Contract ${row}`,
        PARTIES[row % PARTIES.length]!,
        `2024-0${(row % 9) + 1}-1${row % 10}`,
        type,
        clauses,
        ideal,
      ]
        .map(quote)
        .join(','),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** The minimum wall time the rate limits allow for `rows` requests per model. */
function limitMinimumSeconds(rows: number): number {
  return Math.max(0, rows - RPM) / (RPM / 60) + CALL_SECONDS;
}

type Measured = {
  seconds: number;
  peakMb: number;
  /** VmHWM when a quarter, half and three quarters of the wall time had passed: flat means it stopped growing. */
  quarterPeaksMb: number[];
  code: number | null;
  stderr: string;
  stdout: string;
};

/** Runs a process to its end, sampling its peak resident memory (VmHWM) from /proc. */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Measured> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, env });
  let peakKb = 0;
  const samples: { at: number; peakKb: number }[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
      samples.push({ at: performance.now() - started, peakKb });
    } catch {
      // the process has exited
    }
  };
  const timer = setInterval(sample, 200);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(timer);
      const elapsed = performance.now() - started;
      const quarterPeaksMb = [0.25, 0.5, 0.75].map(
        (share) => (samples.findLast((sample) => sample.at <= share * elapsed)?.peakKb ?? 0) / 1024,
      );
      resolve({ seconds: elapsed / 1000, peakMb: peakKb / 1024, quarterPeaksMb, code, stderr, stdout });
    });
  });
}

type Row = {
  tool: string;
  rows: number;
  cells: number;
  seconds: number;
  minimum: number;
  ok: number;
  errors: number;
  peakMb: number;
  note: string;
};

async function runReins(
  root: string,
  dir: string,
  dataset: string,
  rows: number,
  simulatorUrl: string,
  nodeDefaults = false,
): Promise<Row> {
  const run = `${rows}-${nodeDefaults ? 'node-defaults' : 'default'}-${ROOTS.indexOf(root)}`;
  const db = join(dir, `reins-${run}.db`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENAI_API_KEY: 'sk-reins-bench',
    OPENAI_BASE_URL: `${simulatorUrl}/v1`,
    ANTHROPIC_API_KEY: 'sk-ant-reins-bench',
    ANTHROPIC_BASE_URL: simulatorUrl,
    // What a user gets: no NODE_OPTIONS. `eval run` applies its own heap policy (see
    // packages/cli/src/commands/eval-heap-policy.ts); REINS_HEAP_POLICY=off keeps Node's defaults.
    REINS_HEAP_POLICY: nodeDefaults ? 'off' : undefined,
  };
  delete env['NODE_OPTIONS'];
  if (!nodeDefaults) delete env['REINS_HEAP_POLICY'];
  const args = [
    join(root, 'packages/cli/src/bin.ts'),
    'eval',
    'run',
    '--dataset',
    dataset,
    '--prompt',
    'contract_summary',
    '--models',
    MODELS.join(','),
    '--scorer',
    'similarity',
    '--max-tokens',
    String(MAX_TOKENS),
    ...(concurrencyOf(root) === 'auto' ? [] : ['--concurrency', concurrencyOf(root)]),
    '--db',
    `sqlite:${db}`,
    '--out',
    join(dir, `reins-${run}.csv`),
  ];
  const measured = await measure(process.execPath, args, env, root);
  if (measured.code !== 0 && measured.code !== 3)
    throw new Error(`reins failed (${measured.code}):\n${measured.stderr}`);
  // Its progress lines (every 5 s into a pipe) say how many cells were in flight.
  const inFlight = [...measured.stderr.matchAll(/(\d+) in flight/g)].map((match) => Number(match[1]));
  inFlight.sort((left, right) => left - right);
  const inFlightNote =
    inFlight.length === 0
      ? ''
      : `; in flight: median ${inFlight[Math.floor(inFlight.length / 2)]}, max ${inFlight.at(-1)}`;
  const database = new DatabaseSync(db, { readOnly: true });
  const counts = database
    .prepare("select count(*) as cells, sum(status = 'error') as errors from eval_results")
    .get() as { cells: number; errors: number | null };
  const rateLimited = database
    .prepare("select count(*) as n from eval_results where error_class = 'RateLimitError'")
    .get() as { n: number };
  database.close();
  return {
    tool: `${ROOTS.length > 1 || root !== ROOT ? `reins eval run @ ${describeRoot(root)}` : 'reins eval run'}, concurrency ${concurrencyOf(root)}`,
    rows,
    cells: counts.cells,
    seconds: measured.seconds,
    minimum: limitMinimumSeconds(rows),
    ok: counts.cells - (counts.errors ?? 0),
    errors: counts.errors ?? 0,
    peakMb: measured.peakMb,
    note: `${nodeDefaults ? "Node's default heap sizing (REINS_HEAP_POLICY=off)" : 'as shipped (eval run heap policy)'}; ${rateLimited.n} of the errors are 429s${inFlightNote}; peak RSS at ¼ ½ ¾ of the wall time: ${measured.quarterPeaksMb.map((mb) => mb.toFixed(0)).join(' / ')} MB`,
  };
}

/** promptfoo on the same CSV, prompt text (the template rendered as chat messages), models and limits. */
async function runPromptfoo(
  entry: string,
  dir: string,
  dataset: string,
  rows: number,
  simulatorUrl: string,
): Promise<Row> {
  const work = join(dir, `promptfoo-${rows}`);
  rmSync(work, { recursive: true, force: true });
  writeFileSync(join(dir, 'prompt.json'), JSON.stringify(promptfooPrompt()));
  const config = {
    prompts: [`file://${join(dir, 'prompt.json')}`],
    providers: MODELS.map((model) => {
      const [provider, id] = model.split('/') as [string, string];
      return provider === 'openai'
        ? {
            id: `openai:chat:${id}`,
            config: { apiBaseUrl: `${simulatorUrl}/v1`, apiKey: 'sk-pf-bench', max_tokens: MAX_TOKENS },
          }
        : {
            id: `anthropic:messages:${id}`,
            config: { apiBaseUrl: simulatorUrl, apiKey: 'sk-ant-pf-bench', max_tokens: MAX_TOKENS },
          };
    }),
    tests: `file://${dataset}`,
    defaultTest: { assert: [{ type: 'rouge-n', value: '{{ ideal_output }}', threshold: 0.5 }] },
  };
  const configPath = join(dir, `promptfooconfig-${rows}.json`);
  writeFileSync(configPath, JSON.stringify(config));
  const out = join(dir, `promptfoo-${rows}.csv`);
  const env = {
    ...process.env,
    PROMPTFOO_DISABLE_TELEMETRY: '1',
    PROMPTFOO_DISABLE_UPDATE: '1',
    PROMPTFOO_CONFIG_DIR: work,
    PROMPTFOO_CACHE_ENABLED: 'false',
  };
  const args = [
    entry,
    'eval',
    '-c',
    configPath,
    '--no-cache',
    '--no-progress-bar',
    '--max-concurrency',
    String(PROMPTFOO_CONCURRENCY),
    '-o',
    out,
  ];
  const measured = await measure(process.execPath, args, env, dir);
  const text = `${measured.stdout}\n${measured.stderr}`;
  writeFileSync(join(dir, `promptfoo-${rows}.log`), text);
  // Past a few thousand rows promptfoo prints no summary; its output CSV has a Status per cell.
  const statuses = await countStatuses(out).catch(() => undefined);
  const answered = statuses === undefined ? 0 : (statuses['PASS'] ?? 0) + (statuses['FAIL'] ?? 0);
  const errors = statuses === undefined ? Number.NaN : (statuses['ERROR'] ?? 0);
  const tail = text.trim().split('\n').slice(-2).join(' / ').slice(0, 160);
  return {
    tool: 'promptfoo eval',
    rows,
    cells: answered + (Number.isNaN(errors) ? 0 : errors),
    seconds: measured.seconds,
    minimum: limitMinimumSeconds(rows),
    ok: answered,
    errors,
    peakMb: measured.peakMb,
    note:
      statuses === undefined
        ? `exit ${measured.code}, no output: ${tail}`
        : `exit ${measured.code} (100: some assertions failed); retries 429s itself; peak RSS at ¼ ½ ¾ of the wall time: ${measured.quarterPeaksMb.map((mb) => mb.toFixed(0)).join(' / ')} MB`,
  };
}

/** Counts the cells of a promptfoo output CSV by status (one `Status` column per provider). */
async function countStatuses(path: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let columns: number[] | undefined;
  for await (const record of createReadStream(path).pipe(
    parse({ relax_column_count: true }),
  ) as AsyncIterable<string[]>) {
    if (columns === undefined) {
      columns = record.flatMap((name, index) => (name === 'Status' ? [index] : []));
      continue;
    }
    for (const index of columns) {
      const status = record[index] ?? '';
      counts[status] = (counts[status] ?? 0) + 1;
    }
  }
  return counts;
}

/** The contract_summary template as the chat messages it renders to (promptfoo has no role blocks). */
function promptfooPrompt() {
  return [
    {
      role: 'system',
      content:
        'You summarise contracts for people who must act on them but will not read every clause. Keep the\nsummary short, name the clause behind each statement, and flag anything unusual for a\n{{ contract_type }}.',
    },
    {
      role: 'user',
      content:
        'Contract\n- Title: {{ contract_title }}\n- Parties: {{ parties }}\n- Dated: {{ contract_date }}\n- Type: {{ contract_type }}\n\n<contract>\n{{ contract_content }}\n</contract>\n\nSummarise the contract under these headings:\n1. Key terms: what is exchanged, for how much, for how long.\n2. Obligations, party by party.\n3. Deadlines and notice periods, as dates where the text allows.\n4. Risks: liability, termination, renewal and anything one-sided.\n5. Amendments worth asking for before signing.',
    },
  ];
}

const dir = mkdtempSync(join(tmpdir(), 'reins-bench-evals-'));
const simulator = await startSimulator({ port: 0, profile: 'realistic', rateLimits: { rpm: RPM } });
const results: Row[] = [];
const header = `${new Date().toUTCString()} · ${cpus().length} cores · Node ${process.version} · load average at start ${loadavg()
  .map((value) => value.toFixed(2))
  .join(' ')}`;
try {
  for (const rows of [SMALL_ROWS, ROWS]) {
    const dataset = join(dir, `contracts-${rows}.csv`);
    writeDataset(dataset, rows);
    for (const root of ROOTS) {
      simulator.reset();
      results.push(await runReins(root, dir, dataset, rows, simulator.url));
      console.error(`reins ${rows} rows done (${root})`);
    }
    if (options.promptfoo !== 'none') {
      simulator.reset();
      results.push(await runPromptfoo(options.promptfoo, dir, dataset, rows, simulator.url));
      console.error(`promptfoo ${rows} rows done`);
    }
  }
  // The same runs with Node's default heap sizing: what the heap policy changes.
  for (const rows of options['skip-node-defaults'] ? [] : [SMALL_ROWS, ROWS]) {
    for (const root of ROOTS) {
      simulator.reset();
      results.push(await runReins(root, dir, join(dir, `contracts-${rows}.csv`), rows, simulator.url, true));
    }
  }
} finally {
  await simulator.close();
  if (process.env['KEEP_BENCH_DIR'] === undefined) rmSync(dir, { recursive: true, force: true });
  else console.error(`kept ${dir}`);
}

console.log(header);
console.log(
  `${MODELS.length} models (${MODELS.join(', ')}) · simulator realistic profile · ${RPM} rpm per key and model · max_tokens ${MAX_TOKENS} · reins concurrency ${CONCURRENCY}${options.promptfoo === 'none' ? '' : ` · promptfoo --max-concurrency ${PROMPTFOO_CONCURRENCY}`} · ROUGE scorer\n`,
);
console.log(
  '| tool | rows | cells | wall s | limits allow s | wall / minimum | answered | errors | cells/s | peak RSS MB | note |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const row of results) {
  console.log(
    `| ${row.tool} | ${row.rows.toLocaleString('en')} | ${row.cells.toLocaleString('en')} | ${row.seconds.toFixed(1)} | ${row.minimum.toFixed(1)} | ${(row.seconds / row.minimum).toFixed(2)} | ${row.ok.toLocaleString('en')} | ${Number.isNaN(row.errors) ? '?' : row.errors} | ${(row.cells / row.seconds).toFixed(0)} | ${row.peakMb.toFixed(0)} | ${row.note} |`,
  );
}
