import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fresh temporary folder. */
export function temporaryDir(prefix = 'reins-prompts-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `files` (path → content) under `dir`, creating folders. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** Runs git in `cwd` with a fixed identity and no signing, whatever the machine's config. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Reins Test',
      GIT_AUTHOR_EMAIL: 'test@reins.invalid',
      GIT_COMMITTER_NAME: 'Reins Test',
      GIT_COMMITTER_EMAIL: 'test@reins.invalid',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
}

/** A temporary git work tree with a `prompts/` folder; returns both paths. */
export function temporaryRepo(): { repo: string; dir: string } {
  const repo = temporaryDir('reins-repo-');
  git(repo, 'init', '-q');
  const dir = join(repo, 'prompts');
  mkdirSync(dir);
  return { repo, dir };
}

/** Stages everything and commits; returns the new commit id. */
export function commitAll(repo: string, message: string): string {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD').trim();
}

/** A template file with front matter. */
export function templateFile(version: string, body: string, extra = ''): string {
  return `---\nversion: ${version}\n${extra}---\n${body}\n`;
}
