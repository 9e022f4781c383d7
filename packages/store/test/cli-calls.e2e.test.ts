import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, open } from './helpers/backends.ts';
import { makeRecord } from './helpers/make-record.ts';

// The `reins` binary, run as a user would: a separate process on the pinned Node.
const bin = join(import.meta.dirname, '..', '..', 'cli', 'src', 'bin.ts');
function reins(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, 'calls', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const [backend] = backends();
let url: string;
const retried = makeRecord({
  callId: 'call-cli',
  attempt: 2,
  startedAt: '2025-06-01T12:00:01.000Z',
  metadata: { userId: 'alice', template: { name: 'legal_analysis', version: '1.0.0', gitCommit: 'a1b2c3d' } },
  response: {
    text: 'Thirty days notice.',
    toolCalls: [{ id: 'c1', name: 'cite', input: { clause: '14.2' } }],
    finishReason: 'stop',
  },
});

beforeAll(async () => {
  url = backend!.freshUrl();
  const store = await open(url);
  const sink = store.sink();
  sink.write(
    makeRecord({
      callId: 'call-cli',
      attempt: 1,
      startedAt: '2025-06-01T12:00:00.000Z',
      status: 'error',
      errorClass: 'RateLimitError',
      errorMessage: '429 Too Many Requests',
      response: null,
      costUsd: null,
      metadata: { userId: 'alice', template: { name: 'legal_analysis', version: '1.0.0' } },
    }),
  );
  sink.write(retried);
  for (let index = 0; index < 3; index++) {
    sink.write(
      makeRecord({
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        startedAt: '2025-06-02T08:00:00.000Z',
        metadata: { userId: 'bob' },
      }),
    );
  }
  await store.close();
});
afterAll(() => backend!.cleanup());

// Each test spawns the CLI a few times; a cold start loads the whole client (SDKs included).
describe('reins calls', { timeout: 120_000 }, () => {
  it('list: newest first, filtered, one line per attempt', () => {
    const all = reins('list', '--db', url);
    expect(all.status, all.stderr).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^time \(UTC\)\s+id\s+try\s+model\s+status\s+tokens\s+cost\s+latency\s+user\s+template\s+prompt$/,
    );
    expect(lines).toHaveLength(6);
    expect(lines[1]).toContain('anthropic/claude-haiku-4-5');
    expect(lines[5]).toMatch(
      /2025-06-01 12:00:00 .* #1 .* error RateLimitError .* alice .* legal_analysis@1\.0\.0 .* Summarise/,
    );

    const alice = reins(
      'list',
      '--db',
      url,
      '--user',
      'alice',
      '--model',
      'openai/gpt-5.6-luna',
      '--since',
      '2025-06-01',
    );
    expect(alice.stdout.trim().split('\n')).toHaveLength(3);
    const paged = reins('list', '--db', url, '--limit', '2');
    expect(paged.stdout).toMatch(/more: reins calls list … --cursor \S+/);
    expect(JSON.parse(reins('list', '--db', url, '--status', 'error', '--json').stdout).items).toHaveLength(
      1,
    );
  });

  it('show: the call as a person reads it, with every attempt', () => {
    const shown = reins('show', 'call-cli', '--db', url);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('openai/gpt-5.6-luna · generate · attempt 2 of 2 · ok');
    expect(shown.stdout).toContain('template legal_analysis@1.0.0 (commit a1b2c3d)');
    expect(shown.stdout).toMatch(
      /usage {3}input 120 \(cached 20, cache write 0\) · output 40 · cost \$0\.000420/,
    );
    expect(shown.stdout).toMatch(/timing {2}latency 812 ms · first token 230 ms/);
    expect(shown.stdout).toMatch(/ {2}#1 .* RateLimitError: 429 Too Many Requests/);
    expect(shown.stdout).toContain(`▶ #2`);
    expect(shown.stdout).toContain(
      '[system] You are a careful legal assistant. Answer in plain English.\n\n[user] Summarise the termination clause of the attached contract.',
    );
    expect(shown.stdout).toContain('── response (finish: stop)');
    expect(shown.stdout).toContain('Thirty days notice.\n[tool-call cite #c1] {"clause":"14.2"}');
    expect(reins('show', retried.id, '--db', url).stdout).toContain('▶ #2');
    const missing = reins('show', 'nope', '--db', url);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no attempt or call with id nope');
  });

  it('export: JSON lines to a file or stdout, with filters', () => {
    const file = join(url.slice('sqlite:'.length), '..', 'export.jsonl');
    const exported = reins('export', '--db', url, '--out', file, '--user', 'bob');
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('exported 3 attempt(s)');
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { userId: string });
    expect(lines.map((line) => line.userId)).toEqual(['bob', 'bob', 'bob']);
    expect(reins('export', '--db', url).stdout.trim().split('\n')).toHaveLength(5);
  });

  it('stats: totals per group', () => {
    const stats = reins('stats', '--by', 'user', '--db', url);
    expect(stats.status, stats.stderr).toBe(0);
    expect(stats.stdout).toMatch(/^user\s+calls\s+attempts\s+errors/);
    expect(stats.stdout).toMatch(/\nalice\s+1\s+2\s+1\s+40\s+1\s+240\s+80\s+\$0\.000420/);
    expect(stats.stdout).toMatch(/\nbob\s+3\s+3\s+0/);
    expect(stats.stdout).toMatch(/\ntotal\s+4\s+5/);
  });

  it('refuses bad input with a message, and does not create a database on a mistyped path', () => {
    const noStore = reins('list', '--db', 'sqlite:/no/such/dir/reins.db');
    expect(noStore.status).toBe(1);
    expect(noStore.stderr).toContain('no call log at /no/such/dir/reins.db');
    expect(reins('list', '--db', url, '--since', 'yesterday').stderr).toContain("invalid filter 'since'");
    expect(reins('stats', '--by', 'week', '--db', url).stderr).toContain('--by must be one of');
    expect(reins('frobnicate', '--db', url).status).toBe(1);
  });

  it('prune: deletes attempts older than a duration', () => {
    const pruned = reins('prune', '--older-than', '1d', '--db', url);
    expect(pruned.stdout).toMatch(/deleted 5 attempt\(s\) started before/);
  });
});
