import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, temporaryDir, temporaryRepo } from '../test/fixtures.ts';
import { createGitInspector } from './git-inspector.ts';

describe('createGitInspector', () => {
  it('reports the last commit of a clean file, +dirty once changed, and untracked files as dirty', () => {
    const { repo, dir } = temporaryRepo();
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'one\n');
    writeFileSync(join(dir, 'other.txt'), 'x\n');
    const first = commitAll(repo, 'a');
    writeFileSync(join(dir, 'other.txt'), 'y\n');
    commitAll(repo, 'other file only');
    const git = createGitInspector();
    expect(git.state(file, 'h1')).toEqual({ gitCommit: first });
    appendFileSync(file, 'two\n');
    expect(git.state(file, 'h1')).toEqual({ gitCommit: first }); // cached per content hash
    expect(git.state(file, 'h2')).toEqual({ gitCommit: `${first}+dirty`, dirty: true });
    const untracked = join(dir, 'new.txt');
    writeFileSync(untracked, 'new\n');
    expect(git.state(untracked, 'h3')).toEqual({ dirty: true });
  });

  it('lists the commits that changed a file and shows old contents', () => {
    const { repo, dir } = temporaryRepo();
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'v1\n');
    const first = commitAll(repo, 'v1');
    writeFileSync(file, 'v2\n');
    const second = commitAll(repo, 'v2');
    const git = createGitInspector();
    expect(git.history(file).map((entry) => entry.commit)).toEqual([second, first]);
    expect(git.history(file)[0]!.committedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(git.show(first, file)).toBe('v1\n');
    expect(git.show(second, file)).toBe('v2\n');
    expect(git.show(first, join(dir, 'missing.txt'))).toBeUndefined();
  });

  it('answers nothing outside a work tree, or when disabled', () => {
    const dir = temporaryDir();
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'x');
    expect(createGitInspector().state(file, 'h')).toEqual({});
    expect(createGitInspector().history(file)).toEqual([]);
    const { repo, dir: repoDir } = temporaryRepo();
    writeFileSync(join(repoDir, 'a.txt'), 'x');
    commitAll(repo, 'a');
    expect(createGitInspector({ enabled: false }).state(join(repoDir, 'a.txt'), 'h')).toEqual({});
  });

  it('uses the injected runner', () => {
    const calls: string[][] = [];
    const git = createGitInspector({
      run: (args) => {
        calls.push(args);
        return { 'rev-parse': 'true\n', log: 'abc\n', status: ' M a.txt\n' }[args[0]!] ?? '';
      },
    });
    expect(git.state('/x/a.txt', 'h')).toEqual({ gitCommit: 'abc+dirty', dirty: true });
    expect(calls).toEqual([
      ['rev-parse', '--is-inside-work-tree'],
      ['status', '--porcelain', '--', 'a.txt'],
      ['log', '-1', '--format=%H', '--', 'a.txt'],
    ]);
  });
});
