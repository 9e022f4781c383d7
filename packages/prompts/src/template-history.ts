import { parseFrontMatter } from './front-matter.ts';
import type { GitInspector } from './git-inspector.ts';
import type { TemplateFileEntry } from './template-files.ts';
import { hashTemplate, UNVERSIONED } from './template-version.ts';

/** One reachable version of a template, for `registry.versions(name)` and `name@version` refs. */
export type TemplateVersionInfo = {
  name: string;
  version: string;
  hash: string;
  gitCommit?: string;
  dirty?: boolean;
  /** `working`: the file as it is now; `pinned`: a `name@x.y.z` copy; `git`: a commit that changed the file. */
  origin: 'working' | 'pinned' | 'git';
  file: string;
  /** ISO-8601 commit time, for `git` versions. */
  committedAt?: string;
};

/** A commit id as accepted in `name@<commit>`: 7 to 40 hex digits. */
export const COMMIT_ID = /^[0-9a-f]{7,40}$/i;

/**
 * The versions of a template kept in git: one entry per commit that changed `file`, newest
 * first, with the semver its front matter had then (commits whose front matter does not parse
 * are left out).
 *
 * @example
 * gitVersions(git, 'legal_analysis', '/app/prompts/legal_analysis.txt');
 * // [{ version: '1.1.0', gitCommit: '9c1e…', origin: 'git', … }, { version: '1.0.0', … }]
 */
export function gitVersions(git: GitInspector, name: string, file: string): TemplateVersionInfo[] {
  const versions: TemplateVersionInfo[] = [];
  for (const { commit, committedAt } of git.history(file)) {
    const source = git.show(commit, file);
    const version = source === undefined ? undefined : versionOf(source, file);
    if (source === undefined || version === undefined) continue;
    versions.push({
      name,
      version,
      hash: hashTemplate(source),
      gitCommit: commit,
      origin: 'git',
      file,
      committedAt,
    });
  }
  return versions;
}

/**
 * The pinned copies `name@x.y.z.ext` of a template.
 *
 * @example
 * pinnedFiles(listTemplateFiles(dir), 'legal_analysis');
 */
export function pinnedFiles(entries: TemplateFileEntry[], name: string): TemplateFileEntry[] {
  return entries.filter((entry) => entry.name === name && entry.pinnedVersion !== undefined);
}

/** The semver a template text declares, `0.0.0` when none, `undefined` when its front matter is invalid. */
export function versionOf(source: string, file: string): string | undefined {
  try {
    return parseFrontMatter(source, file).frontMatter.version ?? UNVERSIONED;
  } catch {
    return undefined;
  }
}
