import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { type CallSink, createClient, type LLMClient, type ProviderConfig } from '@reins/client';
import {
  compareRunStreams,
  createEvalRun,
  type EvalDeps,
  type EvalProgress,
  type EvalResult,
  type EvalRunConfig,
  evalRunConfigSchema,
  evalRunResults,
  executeEvalRun,
  exportResultsCsv,
  exportResultsJsonl,
  formatComparison,
  formatDuration,
  formatProgressLine,
  formatReportTable,
  leaseHolderGone,
  type NewEvalRunInput,
  parseScorerSpec,
  planEvalConfig,
  planEvalRun,
  type ScorerSpec,
  summarizeResults,
} from '@reins/evals';
import { createPromptRegistry } from '@reins/prompts';
import type { Simulator } from '@reins/simulator';
import {
  type EvalRunRecord,
  evalRunTotals,
  getEvalRun,
  listEvalRuns,
  openStore,
  parseStoreUrl,
  type Store,
  type StoreContext,
  setHumanScore,
  storeUrlFromEnv,
  uuidv7,
} from '@reins/store';

const USAGE = `Usage:
  reins eval run --dataset FILE --prompt NAME[@VERSION][,NAME@VERSION…] --models M1,M2
                 [--scorer S]… [--out FILE.csv|.jsonl] [--dry-run] [--budget-usd N]
                                        run every dataset row through every model and
                                        prompt version, grade, store, summarise
  reins eval run --resume RUN_ID [--budget-usd N] [--retry-errors] [--out FILE]
                                        finish a stopped run; finished cells are skipped
                                        (--retry-errors: failed cells run again)
  reins eval list [--template NAME] [--limit N]
  reins eval show RUN_ID [--rows] [--threshold 1-5]
  reins eval compare RUN_A RUN_B [--all]
  reins eval export RUN_ID [--out FILE.csv|.jsonl]   Workbench CSV (stdout without --out)
  reins eval score RUN_ID ROW SCORE [--model M] [--version V] [--note TEXT]
                                        a person's 1–5, kept apart from automatic scores

Scorers (--scorer, repeatable; the first is primary):
  exact, exact:ci, contains, regex:PATTERN, json-schema[:SCHEMA.json], numeric[:TOL|TOL%],
  similarity[:THRESHOLD] (ROUGE-L F1), judge[:provider/model] (LLM judge, 1–5)

Run options:
  --judge-model M        the judge's model (default: the first of --models)
  --rubric TEXT|@FILE    what the judge looks for
  --max-tokens N         output budget per answer (default: the template's)
  --temperature T
  --concurrency N|auto   cells in flight at once (default auto: as many as the rate limits
                         and the providers' latency can use, found as the run goes); the
                         client's rate limiter (limits learned from the providers' headers)
                         paces the calls
  --memory-mb N          with auto concurrency, stop adding cells in flight while this
                         process uses more than N MB (default 224); the progress line
                         says when it holds them
  --budget-usd N         stop starting cells once N USD would be exceeded; resumable
  --dry-run              count cells, estimate input tokens and a USD range; call nothing
  --name TEXT            a label for the run

Options:
  --db URL               the store (default: DATABASE_URL, else sqlite:./data/reins.db)
  --prompts DIR          the templates (default: ./prompts)
  --simulator-profile instant|realistic
                         the in-process simulator used when neither OPENAI_API_KEY nor
                         ANTHROPIC_API_KEY is set (default: REINS_SIMULATOR_PROFILE or realistic);
                         with keys, OPENAI_BASE_URL and ANTHROPIC_BASE_URL are honoured
  --verbose              the client's JSON log lines on stderr
  --json                 print JSON instead of text

Environment:
  REINS_HEAP_POLICY=off  keep Node's default heap sizing for 'eval run' (by default it re-executes
                         itself with a heap sized to what a run holds; NODE_OPTIONS heap flags win)

A run is held by one process at a time: a second --resume of a running run is refused; a run
whose process died shows 'interrupted' and can be resumed.

Exit status: 0 done, 1 error, 3 run stopped before the end (budget, Ctrl-C): resume it.`;

const OPTIONS = {
  dataset: { type: 'string' },
  prompt: { type: 'string' },
  models: { type: 'string' },
  scorer: { type: 'string', multiple: true },
  'judge-model': { type: 'string' },
  rubric: { type: 'string' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  concurrency: { type: 'string' },
  'memory-mb': { type: 'string' },
  'budget-usd': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  resume: { type: 'string' },
  'retry-errors': { type: 'boolean', default: false },
  name: { type: 'string' },
  out: { type: 'string' },
  db: { type: 'string' },
  prompts: { type: 'string', default: 'prompts' },
  'simulator-profile': { type: 'string' },
  template: { type: 'string' },
  limit: { type: 'string' },
  rows: { type: 'boolean', default: false },
  threshold: { type: 'string' },
  all: { type: 'boolean', default: false },
  model: { type: 'string' },
  version: { type: 'string' },
  note: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Exit status of a run that stopped before its last cell (budget, Ctrl-C): resume it. */
const EXIT_STOPPED = 3;

/**
 * `reins eval`: run a dataset through models and prompt versions, then list, show, compare,
 * export and hand-score the stored runs.
 *
 * @example
 * await run(['run', '--dataset', 'datasets/contract_summary.csv', '--prompt', 'contract_summary',
 *   '--models', 'openai/gpt-5.6-luna,anthropic/claude-haiku-4-5', '--scorer', 'judge', '--out', 'results.csv']);
 */
export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [subcommand, ...rest] = positionals;
  if (values.help || subcommand === undefined || subcommand === 'help') {
    console.log(USAGE);
    return;
  }
  switch (subcommand) {
    case 'run':
      return runCommand(values);
    case 'list':
      return withStore(values, (store) => list(store, values));
    case 'show':
      return withStore(values, (store) => show(store, required(rest[0], 'show RUN_ID'), values));
    case 'compare':
      return withStore(values, (store) =>
        compare(
          store,
          required(rest[0], 'compare RUN_A RUN_B'),
          required(rest[1], 'compare RUN_A RUN_B'),
          values,
        ),
      );
    case 'export':
      return withStore(values, (store) => exportRun(store, required(rest[0], 'export RUN_ID'), values.out));
    case 'score':
      return withStore(values, (store) => score(store, rest, values));
    default:
      throw new Error(`unknown subcommand '${subcommand}'\n\n${USAGE}`);
  }
}

function required(value: string | undefined, usage: string): string {
  if (value === undefined) throw new Error(`missing argument: reins eval ${usage}`);
  return value;
}

/**
 * What `reins eval run` lets itself grow to by adding cells in flight (see executeEvalRun). The
 * peak settles ~30–50 MB above it (the cells already in flight and the heap's growth after the
 * last raise). In bench/evals.ts (10,000 rows × 3 models, where ~250 cells in flight use the
 * limits' burst) 224 gave 256–260 MB at 1.09–1.13× the time the limits allow; 192 gave 246–258
 * MB but only ~170–210 cells, 1.24× on a busy machine; 256 gave 259–276 MB.
 */
const DEFAULT_MEMORY_MB = 224;

function concurrencyOption(value: string | undefined): number | 'auto' | undefined {
  if (value === undefined || value === 'auto') return value;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 1000)
    throw new Error(`--concurrency must be auto or a whole number from 1 to 1000, got '${value}'`);
  return parsed;
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got '${value}'`);
  return parsed;
}

function contextOf(store: Store): StoreContext {
  return { db: store.db, dialect: store.dialect };
}

/** Reading commands should not create an empty database where the user mistyped a path. */
async function withStore(values: Values, action: (store: Store) => Promise<void>): Promise<void> {
  const url = values.db ?? storeUrlFromEnv();
  const location = parseStoreUrl(url);
  if (location.dialect === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    throw new Error(`no store at ${location.path} (pass --db URL or set DATABASE_URL)`);
  }
  const store = await openStore({ url });
  try {
    await action(store);
  } finally {
    await store.close();
  }
}

async function loadRun(store: Store, id: string): Promise<{ run: EvalRunRecord; config: EvalRunConfig }> {
  const found = await getEvalRun(contextOf(store), id);
  if (found === null) throw new Error(`no eval run ${id}`);
  return { run: withLiveStatus(found), config: evalRunConfigSchema.parse(found.config) };
}

/**
 * The store says `interrupted` once a dead run's lease has expired; on the machine that ran it
 * we know sooner: its process is gone.
 */
function withLiveStatus(run: EvalRunRecord): EvalRunRecord {
  return run.status === 'running' && run.leaseOwner !== null && leaseHolderGone(run.leaseOwner)
    ? { ...run, status: 'interrupted', leaseOwner: null, leaseExpiresAt: null }
    : run;
}

// ---------------------------------------------------------------- run

type Environment = { deps: EvalDeps; store: Store; simulator: Simulator | undefined; close(): Promise<void> };

/**
 * The store, the prompts and a client writing to the call log. With no provider key in the
 * environment the simulator answers in-process as both providers, and every record says so.
 */
async function openEnvironment(values: Values): Promise<Environment> {
  const simulated = !process.env['OPENAI_API_KEY'] && !process.env['ANTHROPIC_API_KEY'];
  // The store's SQLite connection and its WAL checkpoints run on this thread, not in the two
  // worker threads the gateway uses: each worker is a V8 isolate of its own, ~15–20 MB resident,
  // and a run writes a few hundred rows a second, a few ms of synchronous SQLite per second
  // (bench/evals.ts: 30–45 MB less peak RSS at the same cells in flight).
  const store = await openStore({
    url: values.db ?? storeUrlFromEnv(),
    sqlite: { thread: 'main', checkpoint: 'auto' },
  });
  let simulator: Simulator | undefined;
  try {
    let providers: Record<string, ProviderConfig> | undefined;
    if (simulated) {
      const profile = values['simulator-profile'] ?? process.env['REINS_SIMULATOR_PROFILE'] ?? 'realistic';
      if (profile !== 'instant' && profile !== 'realistic') {
        throw new Error(`--simulator-profile must be instant or realistic, got '${profile}'`);
      }
      // Loaded only when used: with provider keys set, a run does not carry the simulator's code.
      const { startSimulator } = await import('@reins/simulator');
      simulator = await startSimulator({ port: 0, profile });
      providers = {
        openai: { type: 'openai', apiKey: 'sk-reins-simulator', baseURL: `${simulator.url}/v1` },
        anthropic: { type: 'anthropic', apiKey: 'sk-ant-reins-simulator', baseURL: simulator.url },
      };
      console.error(
        `reins: no OPENAI_API_KEY or ANTHROPIC_API_KEY: the built-in simulator answers (${profile} profile); results are simulated`,
      );
    } else {
      // The SDKs' own base-URL variables, honoured for both providers (a proxy, a gateway, a simulator).
      const openaiBaseURL = process.env['OPENAI_BASE_URL'];
      const anthropicBaseURL = process.env['ANTHROPIC_BASE_URL'];
      providers = {
        openai: openaiBaseURL ? { baseURL: openaiBaseURL } : {},
        anthropic: anthropicBaseURL ? { baseURL: anthropicBaseURL } : {},
      };
    }
    const sink = store.sink();
    const marked: CallSink = {
      write: (record) => sink.write({ ...record, simulated }),
      ...(sink.flush === undefined ? {} : { flush: () => sink.flush!() }),
    };
    const client: LLMClient = createClient({
      ...(providers === undefined ? {} : { providers }),
      ...(values.verbose ? {} : { logger: false }),
      sinks: [marked],
    });
    const prompts = createPromptRegistry({ dir: values.prompts });
    return {
      deps: { client, prompts, store: contextOf(store), now: () => new Date(), generateId: () => uuidv7() },
      store,
      simulator,
      async close() {
        await store.close();
        await simulator?.close();
      },
    };
  } catch (error) {
    await store.close().catch(() => {});
    await simulator?.close().catch(() => {});
    throw error;
  }
}

function scorerSpecs(values: Values): ScorerSpec[] {
  const texts = (values.scorer ?? ['similarity']).flatMap((text) =>
    text.includes(':') ? [text] : text.split(',').map((part) => part.trim()),
  );
  const rubric =
    values.rubric === undefined
      ? undefined
      : values.rubric.startsWith('@')
        ? readFileSync(values.rubric.slice(1), 'utf8')
        : values.rubric;
  return texts.map((text) => {
    if (text.startsWith('json-schema:')) {
      const file = text.slice('json-schema:'.length);
      return {
        type: 'json-schema',
        schema: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>,
      };
    }
    const spec = parseScorerSpec(text);
    return spec.type === 'judge' && rubric !== undefined ? { ...spec, rubric } : spec;
  });
}

function runInput(values: Values): NewEvalRunInput {
  const dataset = required(values.dataset, 'run --dataset FILE --prompt NAME --models M1,M2');
  const refs = required(values.prompt, 'run --prompt NAME')
    .split(',')
    .map((ref) => ref.trim())
    .filter(Boolean);
  const template = refs[0]!.split('@')[0]!;
  const models = required(values.models, 'run --models M1,M2')
    .split(',')
    .map((model) => model.trim())
    .filter(Boolean);
  const maxTokens = numberOption(values['max-tokens'], 'max-tokens');
  const temperature = numberOption(values.temperature, 'temperature');
  const concurrency = concurrencyOption(values.concurrency);
  const budgetUsd = numberOption(values['budget-usd'], 'budget-usd');
  return {
    dataset,
    template,
    versions: refs,
    models,
    scorers: scorerSpecs(values),
    ...(values['judge-model'] === undefined ? {} : { judgeModel: values['judge-model'] }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(budgetUsd === undefined ? {} : { budgetUsd }),
    ...(values.name === undefined ? {} : { name: values.name }),
  };
}

async function runCommand(values: Values): Promise<void> {
  if (values['dry-run']) return dryRun(values);
  if (values['retry-errors'] && values.resume === undefined)
    throw new Error('--retry-errors goes with --resume RUN_ID');
  // Options are checked before the store is opened: a typo creates no database.
  const concurrency = concurrencyOption(values.concurrency);
  const memoryBudgetMb = numberOption(values['memory-mb'], 'memory-mb') ?? DEFAULT_MEMORY_MB;
  const environment = await openEnvironment(values);
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    console.error('\nreins: stopping after the cells in flight (Ctrl-C again to quit now)…');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  try {
    const runId = values.resume ?? (await createEvalRun(environment.deps, runInput(values))).id;
    const { run: stored, config } = await loadRun(environment.store, runId);
    console.error(
      `reins: eval run ${runId}${values.resume === undefined ? '' : ' (resumed)'}: ${matrix(config)} = ${stored.totalCells} cells`,
    );
    const progress = createProgressPrinter();
    const budgetUsd = numberOption(values['budget-usd'], 'budget-usd');
    const outcome = await executeEvalRun(environment.deps, runId, {
      memoryBudgetMb,
      signal: controller.signal,
      onProgress: progress.update,
      ...(values.resume !== undefined && budgetUsd !== undefined ? { budgetUsd } : {}),
      ...(values.resume !== undefined && concurrency !== undefined ? { concurrency } : {}),
      ...(values['retry-errors'] ? { retryErrors: true } : {}),
    });
    progress.done();
    await environment.store.flush();
    const context = contextOf(environment.store);
    const reports = await summarizeResults(evalRunResults(context, runId));
    console.log(formatReportTable(reports));
    if (values.out !== undefined) {
      const count = await writeExport(evalRunResults(context, runId), values.out, config.variables);
      console.log(`wrote ${count} rows to ${values.out}`);
    }
    const elapsed = formatDuration(outcome.progress.elapsedMs);
    if (outcome.run.status === 'completed') {
      console.log(`run ${runId} completed in ${elapsed} · $${outcome.progress.spentUsd.toFixed(4)} spent`);
    } else {
      const message = (outcome.run.error as { message?: string } | null)?.message ?? outcome.stopReason;
      console.log(
        `run ${runId} stopped (${message}) after ${outcome.progress.done}/${outcome.progress.total} cells; resume with: reins eval run --resume ${runId}`,
      );
      process.exitCode = EXIT_STOPPED;
    }
  } finally {
    process.off('SIGINT', onSignal);
    await environment.close();
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `22 rows × 2 models × 1 prompt version` */
function matrix(config: EvalRunConfig, rows = config.dataset.rowCount): string {
  return [
    plural(rows, 'row'),
    plural(config.models.length, 'model'),
    plural(config.versions.length, 'prompt version'),
  ].join(' × ');
}

/** A progress line redrawn in place on a terminal, or a line every few seconds into a pipe. */
function createProgressPrinter() {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let latest: EvalProgress | undefined;
  let printed = '';
  const print = (line: string) => {
    if (line === printed) return;
    printed = line;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  return {
    update(progress: EvalProgress) {
      latest = progress;
      const now = Date.now();
      if (now - last < (tty ? 100 : 5000) && progress.done < progress.total) return;
      last = now;
      print(formatProgressLine(progress));
    },
    done() {
      if (latest !== undefined) print(formatProgressLine({ ...latest, inFlight: 0 }));
      if (tty && printed !== '') process.stderr.write('\n');
    },
  };
}

async function dryRun(values: Values): Promise<void> {
  if (values.resume !== undefined)
    throw new Error('--dry-run plans a new run; it cannot be combined with --resume');
  // Estimates need no provider: token counts are local and prices come from the table.
  const client = createClient({ logger: false });
  const prompts = createPromptRegistry({ dir: values.prompts });
  const config = await planEvalConfig({ prompts }, runInput(values));
  const plan = await planEvalRun({ client, prompts }, config);
  if (values.json) {
    console.log(JSON.stringify(plan, null, 2));
    return;
  }
  const usd = (value: number) => `$${value.toFixed(4)}`;
  console.log(`${matrix(config, plan.rows)} = ${plan.cells} cells (no call made)`);
  console.log(
    `input tokens: ${plan.approximate ? '~' : ''}${plan.inputTokens} · cost ${usd(plan.minUsd)} – ${usd(plan.maxUsd)} (answers of 1 token – of max tokens)`,
  );
  for (const entry of plan.byModel) {
    const cost = entry.priced ? `${usd(entry.minUsd)} – ${usd(entry.maxUsd)}` : 'no known price';
    console.log(
      `  ${entry.model.padEnd(32)} ${String(entry.cells).padStart(6)} cells  ${String(entry.inputTokens).padStart(9)} tokens  ${cost}`,
    );
  }
  if (plan.judged) console.log('judge calls are extra: about one more call per cell, on the judge model');
}

async function writeExport(
  results: AsyncIterable<EvalResult>,
  out: string | undefined,
  variables: string[],
): Promise<number> {
  const jsonl = out !== undefined && ['.jsonl', '.ndjson'].includes(extname(out).toLowerCase());
  const output = out === undefined ? process.stdout : createWriteStream(out);
  const options = { variables, end: out !== undefined };
  return jsonl ? exportResultsJsonl(results, output, options) : exportResultsCsv(results, output, options);
}

// ---------------------------------------------------------------- list, show, compare, export, score

async function list(store: Store, values: Values): Promise<void> {
  const limit = numberOption(values.limit, 'limit') ?? 20;
  const page = await listEvalRuns(contextOf(store), {
    limit,
    ...(values.template === undefined ? {} : { template: values.template }),
  });
  const rows = [];
  for (const item of page.items) {
    const totals = await evalRunTotals(contextOf(store), item.id);
    rows.push({ ...withLiveStatus(item), totals });
  }
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) {
    console.log('no eval runs');
    return;
  }
  console.log(
    'id                                    created              template            status     cells        errors  cost $',
  );
  for (const row of rows) {
    console.log(
      `${row.id.padEnd(37)} ${row.createdAt.slice(0, 19).replace('T', ' ')}  ${row.template.padEnd(19)} ${row.status.padEnd(10)} ${`${row.totals.results}/${row.totalCells}`.padEnd(12)} ${String(row.totals.errors).padStart(6)}  ${(row.totals.costUsd + row.totals.judgeCostUsd).toFixed(4)}`,
    );
  }
}

async function show(store: Store, id: string, values: Values): Promise<void> {
  const { run: found, config } = await loadRun(store, id);
  const context = contextOf(store);
  const threshold = numberOption(values.threshold, 'threshold');
  const reports = await summarizeResults(
    evalRunResults(context, id),
    threshold === undefined ? {} : { threshold },
  );
  const totals = await evalRunTotals(context, id);
  if (values.json) {
    const rows = [];
    if (values.rows) for await (const result of evalRunResults(context, id)) rows.push(result);
    console.log(JSON.stringify({ run: found, totals, reports, ...(values.rows ? { rows } : {}) }, null, 2));
    return;
  }
  console.log(`run ${found.id}${found.name === null ? '' : ` (${found.name})`}: ${found.status}`);
  console.log(
    `template ${config.template} · versions ${config.versions.map((version) => version.label).join(', ')}`,
  );
  console.log(
    `dataset ${config.dataset.path} (${config.dataset.rowCount} rows) · models ${config.models.join(', ')}`,
  );
  console.log(
    `scorers ${config.scorers.map((scorer) => scorer.type).join(', ')}${config.judgeModel === undefined ? '' : ` · judge ${config.judgeModel}`}`,
  );
  console.log(
    `${totals.results}/${found.totalCells} cells · ${totals.errors} errors · $${totals.costUsd.toFixed(4)} models + $${totals.judgeCostUsd.toFixed(4)} judge · ${totals.humanScored} human scores`,
  );
  if (found.error !== null)
    console.log(`stopped: ${(found.error as { message?: string }).message ?? JSON.stringify(found.error)}`);
  console.log('');
  console.log(formatReportTable(reports));
  if (!values.rows) return;
  console.log('');
  console.log('row   model                          version   score  human  status  answer');
  for await (const result of evalRunResults(context, id)) {
    const scoreText =
      result.scores[0] === undefined ? '-' : String(Number(result.scores[0].score.toFixed(3)));
    const answer = (result.modelOutput ?? `${result.errorClass}: ${result.errorMessage}`)
      .replace(/\s+/g, ' ')
      .slice(0, 60);
    console.log(
      `${String(result.row).padEnd(5)} ${result.model.padEnd(30)} ${result.promptVersion.padEnd(9)} ${scoreText.padStart(5)}  ${String(result.humanScore ?? '-').padStart(5)}  ${result.status.padEnd(6)}  ${answer}`,
    );
  }
}

async function compare(store: Store, idA: string, idB: string, values: Values): Promise<void> {
  const { config: configA } = await loadRun(store, idA);
  const { config: configB } = await loadRun(store, idB);
  const context = contextOf(store);
  const single = (config: EvalRunConfig) => config.models.length * config.versions.length === 1;
  // Streamed a dataset row at a time: comparing two large runs does not load them.
  const comparison = await compareRunStreams(evalRunResults(context, idA), evalRunResults(context, idB), {
    matchedBy: single(configA) && single(configB) ? 'row' : 'row+model+version',
    keepUnchanged: values.all,
  });
  if (values.json) {
    console.log(JSON.stringify(comparison, null, 2));
    return;
  }
  console.log(formatComparison(comparison, { labels: [idA, idB], all: values.all }));
}

async function exportRun(store: Store, id: string, out: string | undefined): Promise<void> {
  const { config } = await loadRun(store, id);
  const count = await writeExport(evalRunResults(contextOf(store), id), out, config.variables);
  if (out !== undefined) console.error(`wrote ${count} rows to ${out}`);
}

async function score(store: Store, rest: string[], values: Values): Promise<void> {
  const usage = 'score RUN_ID ROW SCORE [--model M] [--version V] [--note TEXT]';
  const id = required(rest[0], usage);
  const row = Number(required(rest[1], usage));
  const text = required(rest[2], usage);
  const value = text === 'clear' ? null : Number(text);
  if (!Number.isInteger(row) || row < 1)
    throw new Error(`ROW must be a row number (1 is the first after the header), got '${rest[1]}'`);
  if (value !== null && !(Number.isFinite(value) && value >= 1 && value <= 5)) {
    throw new Error(`SCORE must be from 1 to 5 (or 'clear'), got '${text}'`);
  }
  await loadRun(store, id);
  const updated = await setHumanScore(contextOf(store), {
    runId: id,
    row,
    score: value,
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.version === undefined ? {} : { promptVersion: values.version }),
    ...(values.note === undefined ? {} : { note: values.note }),
    now: new Date().toISOString(),
  });
  if (updated === 0)
    throw new Error(
      `run ${id} has no result for row ${row}${values.model === undefined ? '' : ` and model ${values.model}`}`,
    );
  console.log(
    `${value === null ? 'cleared the human score of' : `scored ${value} on`} ${updated} result${updated === 1 ? '' : 's'} of row ${row}`,
  );
}
