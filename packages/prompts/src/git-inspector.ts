import { execFileSync } from 'node:child_process';
import { basename, dirname } from 'node:path';

/** Where a file stands in git: the last commit that changed it and whether it differs from it. */
export type GitFileState = {
  /** `<sha>` of the last commit that changed the file; `<sha>+dirty` when it has changed since. */
  gitCommit?: string;
  /** True when the working copy differs from `gitCommit`, or the file is not committed yet. */
  dirty?: boolean;
};

/** One commit in a file's history, newest first. */
export type GitFileCommit = { commit: string; committedAt: string };

/** Runs `git <args>` in `cwd` and returns stdout; throws when git fails or is missing. */
export type RunGit = (args: string[], cwd: string) => string;

/** The git questions the registry asks, with answers cached. */
export type GitInspector = {
  /** State of `file` whose content hashes to `hash` (cached per file and hash). */
  state(file: string, hash: string): GitFileState;
  /** Commits that changed `file`, newest first; empty outside a git work tree. */
  history(file: string): GitFileCommit[];
  /** The content of `file` at `commit`, or `undefined` when it did not exist there. */
  show(commit: string, file: string): string | undefined;
  /** Forgets cached answers (new commits, a changed HEAD). */
  clear(): void;
};

/**
 * Asks git about template files: `git log -1 --format=%H -- file` for the last commit,
 * `git status --porcelain -- file` for uncommitted (or untracked) changes, `git log` and `git show` for old
 * versions. Git runs with `--no-optional-locks`, so it never contends for the index lock with
 * people committing; outside a work tree (or without git) every answer is empty.
 *
 * @example
 * const git = createGitInspector();
 * git.state('prompts/legal_analysis.txt', hash); // { gitCommit: '3f2a…' } or { gitCommit: '3f2a…+dirty', dirty: true }
 */
export function createGitInspector(options: { enabled?: boolean; run?: RunGit } = {}): GitInspector {
  const enabled = options.enabled ?? true;
  const run = options.run ?? runGit;
  const states = new Map<string, GitFileState>();
  const histories = new Map<string, GitFileCommit[]>();
  const contents = new Map<string, string | undefined>();

  const ask = (args: string[], file: string): string | undefined => {
    if (!enabled) return undefined;
    try {
      return run(args, dirname(file));
    } catch {
      return undefined;
    }
  };

  const workTrees = new Map<string, boolean>();
  const insideWorkTree = (file: string): boolean => {
    const cached = workTrees.get(dirname(file));
    if (cached !== undefined) return cached;
    const inside = ask(['rev-parse', '--is-inside-work-tree'], file)?.trim() === 'true';
    workTrees.set(dirname(file), inside);
    return inside;
  };

  return {
    state(file, hash) {
      const key = `${file}\0${hash}`;
      const cached = states.get(key);
      if (cached !== undefined) return cached;
      const name = basename(file);
      const state: GitFileState = {};
      const status = insideWorkTree(file) ? ask(['status', '--porcelain', '--', name], file) : undefined;
      if (status !== undefined) {
        // Fails in a repository without commits yet: then the file has no commit.
        const commit = ask(['log', '-1', '--format=%H', '--', name], file)?.trim() ?? '';
        const changed = status.trim() !== '';
        if (commit !== '') state.gitCommit = changed ? `${commit}+dirty` : commit;
        if (changed) state.dirty = true;
      }
      states.set(key, state);
      return state;
    },
    history(file) {
      const cached = histories.get(file);
      if (cached !== undefined) return cached;
      const output = ask(['log', '--format=%H%x09%cI', '--', basename(file)], file) ?? '';
      const commits = output
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const [commit = '', committedAt = ''] = line.split('\t');
          return { commit, committedAt };
        });
      histories.set(file, commits);
      return commits;
    },
    show(commit, file) {
      const key = `${commit}\0${file}`;
      if (contents.has(key)) return contents.get(key);
      const content = ask(['show', `${commit}:./${basename(file)}`], file);
      contents.set(key, content);
      return content;
    },
    clear() {
      states.clear();
      workTrees.clear();
      histories.clear();
      contents.clear();
    },
  };
}

function runGit(args: string[], cwd: string): string {
  return execFileSync('git', ['--no-optional-locks', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 16 * 1024 * 1024,
    timeout: 10_000,
  });
}
