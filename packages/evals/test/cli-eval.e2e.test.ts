import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startSimulator } from '@reins/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../src/dataset/read-dataset.ts';
import { ROOT } from './helpers/eval-harness.ts';

const BIN = join(ROOT, 'packages/cli/src/bin.ts');
const MODELS = 'openai/gpt-5.6-luna,anthropic/claude-haiku-4-5';
const VARIABLES = ['contract_title', 'parties', 'contract_date', 'contract_type', 'contract_content'];

/** The environment of a person without API keys: the CLI must fall back to the simulator. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'DATABASE_URL', 'REINS_SIMULATOR_PROFILE'])
    delete env[key];
  return env;
}

type Outcome = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

function start(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<Outcome>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, 'eval', ...args], {
    cwd: ROOT,
    env: { ...cleanEnv(), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<Outcome>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

function reins(...args: string[]): Promise<Outcome> {
  return start(args).done;
}

async function until<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('reins eval (the command, in its own process)', () => {
  let directory: string;
  let dataset: string;
  let db: string;
  const marker = (row: number) => `[ROW-${String(row).padStart(4, '0')}]`;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'reins-eval-cli-'));
    dataset = join(directory, 'contracts.csv');
    db = join(directory, 'reins.db');
    const lines = ['contract_title,parties,contract_date,contract_type,contract_content,ideal_output'];
    for (let row = 1; row <= 30; row++) {
      lines.push(
        `Supply ${marker(row)},"Acme, Inc. and Bolt Ltd",2024-02-01,supply,"${marker(row)} Acme supplies ${row} widgets.\nBolt pays in 30 days.","Acme supplies ${row} widgets; Bolt pays in 30 days."`,
      );
    }
    await writeFile(dataset, `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('survives kill -9 mid-run: the resume loses no cell and runs no finished cell again', async () => {
    const first = start([
      'run',
      '--dataset',
      dataset,
      '--prompt',
      'contract_summary',
      '--models',
      MODELS,
      '--scorer',
      'similarity',
      '--max-tokens',
      '60',
      '--concurrency',
      '3',
      '--db',
      `sqlite:${db}`,
      '--simulator-profile',
      'realistic',
    ]);
    const runId = await until(() => /eval run ([0-9a-f-]{36})/.exec(first.stderr())?.[1], 20_000);
    const reader = () => new DatabaseSync(db, { readOnly: true });
    await until(() => {
      const database = reader();
      try {
        const { count } = database.prepare('select count(*) as count from eval_results').get() as {
          count: number;
        };
        return count >= 8 ? count : undefined;
      } finally {
        database.close();
      }
    }, 30_000);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    const killedAt = new Date().toISOString();
    expect(killed.signal).toBe('SIGKILL');

    const before = reader();
    const finishedBefore = before
      .prepare('select dataset_row as row, model from eval_results where run_id = ?')
      .all(runId) as Array<{ row: number; model: string }>;
    const status = before.prepare('select status from eval_runs where id = ?').get(runId) as {
      status: string;
    };
    before.close();
    expect(status.status).toBe('running'); // nobody had the chance to mark it
    expect(finishedBefore.length).toBeGreaterThanOrEqual(8);
    expect(finishedBefore.length).toBeLessThan(60);
    // Readers know better: on this machine its process is gone (elsewhere: once its lease expires).
    const listedKilled = await reins('list', '--db', `sqlite:${db}`);
    expect(listedKilled.stdout).toMatch(new RegExp(`${runId}.* interrupted `));
    expect((await reins('show', runId, '--db', `sqlite:${db}`)).stdout).toContain(`${runId}: interrupted`);

    const resumed = await reins(
      'run',
      '--resume',
      runId,
      '--db',
      `sqlite:${db}`,
      '--simulator-profile',
      'instant',
    );
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('(resumed)');
    expect(resumed.stdout).toContain(`run ${runId} completed`);

    const after = reader();
    try {
      const results = after
        .prepare('select dataset_row as row, model from eval_results where run_id = ? order by 1, 2')
        .all(runId) as Array<{ row: number; model: string }>;
      // None lost: every row × model, exactly once.
      expect(results).toHaveLength(60);
      expect(new Set(results.map((result) => `${result.row} ${result.model}`)).size).toBe(60);
      // None run twice: no cell finished before the kill was called again after it. (The call
      // log's own batched writes from the killed process may be lost; the resume's are not.)
      const calls = after
        .prepare(
          "select provider, request_json, created_at from call_log where eval_run_id = ? and operation = 'generate'",
        )
        .all(runId) as Array<{ provider: string; request_json: string; created_at: string }>;
      const resumedCalls = calls.filter((call) => call.created_at > killedAt);
      for (const { row, model } of finishedBefore) {
        const provider = model.split('/')[0];
        const again = resumedCalls.filter(
          (call) => call.provider === provider && call.request_json.includes(marker(row)),
        );
        expect(again.length, `row ${row} ${model}`).toBe(0);
      }
      // The resume ran the rest, plus at most the cells in flight at the kill.
      expect(resumedCalls.length).toBeGreaterThanOrEqual(60 - finishedBefore.length);
      expect(resumedCalls.length).toBeLessThanOrEqual(60 - finishedBefore.length + 3);
      const run = after.prepare('select status from eval_runs where id = ?').get(runId) as { status: string };
      expect(run.status).toBe('completed');
    } finally {
      after.close();
    }

    // The stored run can be listed, shown, hand-scored and exported; the export re-imports.
    const listed = await reins('list', '--db', `sqlite:${db}`);
    expect(listed.stdout).toContain(runId);
    expect(listed.stdout).toMatch(/completed\s+60\/60/);
    const scored = await reins(
      'score',
      runId,
      '3',
      '5',
      '--model',
      'openai/gpt-5.6-luna',
      '--note',
      'fine',
      '--db',
      `sqlite:${db}`,
    );
    expect(scored.stdout).toContain('scored 5 on 1 result of row 3');
    const shown = await reins('show', runId, '--db', `sqlite:${db}`);
    expect(shown.stdout).toContain('60/60 cells');
    expect(shown.stdout).toContain('1 human scores');
    const out = join(directory, 'results.csv');
    const exported = await reins('export', runId, '--out', out, '--db', `sqlite:${db}`);
    expect(exported.code).toBe(0);
    const rows = [];
    for await (const row of readDataset({ path: out }, { variables: VARIABLES })) rows.push(row);
    expect(rows).toHaveLength(60);
    expect(rows.find((row) => row.extra['human_score'] === '5')?.extra['model']).toBe('openai/gpt-5.6-luna');
  }, 90_000);

  it('stops cleanly on Ctrl-C: the run is stopped, resumable, and the process exits with 3', async () => {
    const store = join(directory, 'interrupted.db');
    const running = start([
      'run',
      '--dataset',
      dataset,
      '--prompt',
      'contract_summary',
      '--models',
      'openai/gpt-5.6-luna',
      '--scorer',
      'similarity',
      '--max-tokens',
      '60',
      '--concurrency',
      '2',
      '--db',
      `sqlite:${store}`,
      '--simulator-profile',
      'realistic',
    ]);
    const runId = await until(() => /eval run ([0-9a-f-]{36})/.exec(running.stderr())?.[1], 20_000);
    await until(() => {
      const database = new DatabaseSync(store, { readOnly: true });
      try {
        const { count } = database.prepare('select count(*) as count from eval_results').get() as {
          count: number;
        };
        return count >= 2 ? count : undefined;
      } finally {
        database.close();
      }
    }, 30_000);
    running.child.kill('SIGINT');
    const stopped = await running.done;
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toContain('stopping after the cells in flight');
    expect(stopped.stdout).toContain(`run ${runId} stopped (interrupted)`);
    const database = new DatabaseSync(store, { readOnly: true });
    const run = database.prepare('select status from eval_runs where id = ?').get(runId) as {
      status: string;
    };
    database.close();
    expect(run.status).toBe('stopped');
  }, 60_000);

  it('runs the README example, prints a summary table and writes a CSV', async () => {
    const out = join(directory, 'example.csv');
    const result = await reins(
      'run',
      '--dataset',
      'datasets/contract_summary.csv',
      '--prompt',
      'contract_summary',
      '--models',
      MODELS,
      '--scorer',
      'judge',
      '--out',
      out,
      '--db',
      `sqlite:${join(directory, 'example.db')}`,
      '--simulator-profile',
      'instant',
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('the built-in simulator answers');
    expect(result.stderr).toMatch(/44\/44 cells \(100%\) · done/);
    expect(result.stdout).toMatch(/^model\s+prompt\s+rows\s+errors\s+score/m);
    expect(result.stdout).toMatch(/openai\/gpt-5\.6-luna\s+1\.0\.0\s+22\s+0/);
    expect(result.stdout).toContain(`wrote 44 rows to ${out}`);
    const text = await readFile(out, 'utf8');
    expect(text.split('\n')[0]).toBe(
      '\ufeffcontract_title,parties,contract_date,contract_type,contract_content,ideal_output,model_output,score,model,prompt_version,cost_usd,latency_ms,row,human_score,error',
    );
  }, 60_000);

  it('with API keys, calls the providers the environment names (base URLs honoured)', async () => {
    const simulator = await startSimulator({ port: 0 });
    try {
      const outcome = await start(
        [
          'run',
          '--dataset',
          'datasets/patent_review.csv',
          '--prompt',
          'patent_review',
          '--models',
          MODELS,
          '--db',
          `sqlite:${join(directory, 'keys.db')}`,
        ],
        {
          OPENAI_API_KEY: 'sk-reins-test',
          OPENAI_BASE_URL: `${simulator.url}/v1`,
          ANTHROPIC_API_KEY: 'sk-ant-reins-test',
          ANTHROPIC_BASE_URL: simulator.url,
        },
      ).done;
      expect(outcome.code).toBe(0);
      expect(outcome.stderr).not.toContain('built-in simulator');
      expect(outcome.stdout).toMatch(/openai\/gpt-5\.6-luna\s+1\.0\.0\s+20\s+0\s/);
      expect(outcome.stdout).toMatch(/anthropic\/claude-haiku-4-5\s+1\.0\.0\s+20\s+0\s/);
      expect(simulator.stats().requests).toBe(40);
    } finally {
      await simulator.close();
    }
  });

  it('plans a dry run without calling anything or writing a store', async () => {
    const store = join(directory, 'dry.db');
    const result = await reins(
      'run',
      '--dry-run',
      '--dataset',
      'datasets/patent_review.csv',
      '--prompt',
      'patent_review',
      '--models',
      MODELS,
      '--db',
      `sqlite:${store}`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('20 rows × 2 models × 1 prompt version = 40 cells (no call made)');
    expect(result.stdout).toMatch(/input tokens: ~\d+ · cost \$\d+\.\d{4} – \$\d+\.\d{4}/);
    expect(result.stderr).not.toContain('simulator');
    await expect(readFile(store)).rejects.toThrow(/ENOENT/);
  });

  it('stops at --budget-usd with exit status 3, and compares two runs', async () => {
    const store = `sqlite:${join(directory, 'budget.db')}`;
    const common = [
      '--dataset',
      dataset,
      '--prompt',
      'contract_summary',
      '--scorer',
      'similarity',
      '--db',
      store,
    ];
    const full = await reins(
      'run',
      ...common,
      '--models',
      'openai/gpt-5.6-luna',
      '--simulator-profile',
      'instant',
    );
    expect(full.code).toBe(0);
    const cheap = await reins(
      'run',
      ...common,
      '--models',
      'openai/gpt-5.6-luna',
      '--budget-usd',
      '0.002',
      '--simulator-profile',
      'instant',
    );
    expect(cheap.code).toBe(3);
    expect(cheap.stdout).toMatch(
      /stopped \(budget of \$0\.002 reached\) after \d+\/30 cells; resume with: reins eval run --resume/,
    );
    const ids = [...`${full.stdout}\n${cheap.stdout}`.matchAll(/run ([0-9a-f-]{36})/g)].map(
      (match) => match[1]!,
    );
    const compared = await reins('compare', ids[0]!, ids[1]!, '--db', store);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toContain('(matched by row)');
    expect(compared.stdout).toMatch(/only in/);
  }, 60_000);

  it('names every dataset problem and exits non-zero before any call', async () => {
    const bad = join(directory, 'bad.csv');
    await writeFile(
      bad,
      'contract_title,parties,contract_date,contract_type,contract_content,ideal_output\nA,,2024-01-01,nda,text,ideal\nB,P,2024-01-01,nda,text\n',
    );
    const result = await reins(
      'run',
      '--dataset',
      bad,
      '--prompt',
      'contract_summary',
      '--models',
      MODELS,
      '--db',
      `sqlite:${join(directory, 'bad.db')}`,
      '--simulator-profile',
      'instant',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("row 1 (line 2), column 'parties': required cell is empty");
    expect(result.stderr).toContain('row 2 (line 3): expected 6 cells as in the header, found 5');
  });

  it('refuses a concurrency that is neither auto nor a whole number, before any call', async () => {
    const store = join(directory, 'concurrency.db');
    const result = await reins(
      'run',
      '--dataset',
      dataset,
      '--prompt',
      'contract_summary',
      '--models',
      MODELS,
      '--concurrency',
      'fast',
      '--db',
      `sqlite:${store}`,
      '--simulator-profile',
      'instant',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "--concurrency must be auto or a whole number from 1 to 1000, got 'fast'",
    );
    expect(existsSync(store)).toBe(false);
  });
});
