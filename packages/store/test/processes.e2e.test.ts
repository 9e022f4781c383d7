import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallLogEntry } from '../src/index.ts';
import { crashRecord } from './fixtures/crash-record.ts';
import { backends, open } from './helpers/backends.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

/** Resolves on 'close', not 'exit': by then all of the child's output has been read. */
function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

function run(
  script: string,
  args: string[],
): { child: ChildProcess; output: () => string; errors: () => string } {
  const child = spawn(process.execPath, [fixture(script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    errors += String(chunk);
  });
  return { child, output: () => output, errors: () => errors };
}

async function allEntries(url: string): Promise<CallLogEntry[]> {
  const store = await open(url);
  const entries: CallLogEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.calls.list({ limit: 1000, ...(cursor !== undefined ? { cursor } : {}) });
    entries.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  await store.close();
  return entries;
}

const persistent = backends().filter((backend) => backend.persistent);
const folder = mkdtempSync(join(tmpdir(), 'reins-store-processes-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe.each(persistent)('processes on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it('several processes write to one database at once; every record arrives', async () => {
    const url = backend.freshUrl();
    await (await open(url)).close(); // migrate once, so the writers race on rows and not on DDL
    const writers = ['p1', 'p2', 'p3'].map((name) => ({
      name,
      ...run('write-records.ts', [url, name, '400']),
    }));
    const codes = await Promise.all(writers.map((writer) => exited(writer.child)));
    expect(codes, writers.map((writer) => writer.errors()).join('\n')).toEqual([0, 0, 0]);
    for (const writer of writers)
      expect(JSON.parse(writer.output())).toMatchObject({ written: 400, dropped: 0, failed: 0 });
    const entries = await allEntries(url);
    expect(entries).toHaveLength(1200);
    for (const name of ['p1', 'p2', 'p3'])
      expect(entries.filter((entry) => entry.traceId === name)).toHaveLength(400);
  }, 60_000);

  it('a process killed mid-batch loses nothing it acknowledged, and leaves only whole rows', async () => {
    const url = backend.freshUrl();
    const ackFile = join(folder, `acks-${backend.name.replace(/\W/g, '')}.txt`);
    const writer = run('crash-writer.ts', [url, ackFile]);
    const exit = exited(writer.child);
    // Let it acknowledge a few rounds, then kill it while it is writing the next ones.
    const deadline = Date.now() + 30_000;
    while ((writer.output().match(/acked/g)?.length ?? 0) < 4) {
      if (Date.now() > deadline) throw new Error(`writer made no progress: ${writer.errors()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 15));
    writer.child.kill('SIGKILL');
    expect(await exit).toBeNull();
    // It died inside a round: started, not acknowledged. Its stdout is a pipe, written
    // asynchronously, so the next round's `started` line may die with it (faster rounds since the
    // prompt is stored once made that common): one more start than acks, or as many.
    const started = writer.output().match(/started/g)?.length ?? 0;
    const acked = writer.output().match(/acked/g)?.length ?? 0;
    expect(started - acked).toBeGreaterThanOrEqual(0);
    expect(started - acked).toBeLessThanOrEqual(1);

    const acknowledged = readFileSync(ackFile, 'utf8').split('\n').filter(Boolean);
    expect(acknowledged.length).toBeGreaterThanOrEqual(4 * 120);
    const entries = await allEntries(url);
    const stored = new Set(entries.map((entry) => entry.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    // Rows beyond the acknowledged ones may exist (committed, not yet acked); each must be whole.
    for (const entry of entries) {
      expect(entry.promptText).toBe(
        `[system] Be brief.\n\n[user] question for ${entry.id} ${'lorem ipsum '.repeat(40)}`,
      );
      expect(entry.responseText).toBe(`answer for ${entry.id}`);
      expect(entry.tags).toEqual([entry.id]);
      expect(entry.request.params).toEqual({ maxTokens: 10 });
      expect(entry.usage.inputTokens).toBe(Number(entry.userId?.slice('user-'.length)) + 1);
      expect(entry.usage.outputTokens).toBe(Number(entry.traceId.slice('crash-'.length)) + 1);
    }
    // And the database is healthy after the crash: it takes new writes.
    const store = await open(url);
    const next = crashRecord(999, 0);
    store.sink().write(next);
    await store.flush();
    expect((await store.calls.get(next.id))?.responseText).toBe(`answer for ${next.id}`);
    await store.close();
  }, 60_000);
});
