import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { SEMVER } from './semver.ts';

/** File extensions a template may have, in lookup order. */
export const TEMPLATE_EXTENSIONS = ['.txt', '.md', '.njk'] as const;

/** What a template name may be: the file's base name, safe as a path segment. */
export const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** One template file at the top of the prompts directory. */
export type TemplateFileEntry = {
  name: string;
  file: string;
  /** Set for a pinned copy of an older version, `name@1.2.0.txt`. */
  pinnedVersion?: string;
};

/**
 * The template files directly in `dir`: `name.txt|.md|.njk`, plus pinned old versions
 * `name@1.2.0.txt`. Names starting with `_` or `.` are partials (includable, never listed), and
 * `README.*` is documentation.
 *
 * @example
 * listTemplateFiles('prompts'); // [{ name: 'legal_analysis', file: 'prompts/legal_analysis.txt' }, …]
 */
export function listTemplateFiles(dir: string): TemplateFileEntry[] {
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => parseTemplateFileName(entry.name, dir))
    .filter((entry): entry is TemplateFileEntry => entry !== undefined);
  return entries.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
}

/**
 * Reads a template file name: `legal_analysis.txt` → `{ name: 'legal_analysis' }`,
 * `legal_analysis@1.0.0.txt` → `{ name: 'legal_analysis', pinnedVersion: '1.0.0' }`;
 * `undefined` for anything that is not a listable template.
 *
 * @example
 * parseTemplateFileName('patent_review@2.0.0.md', 'prompts');
 */
export function parseTemplateFileName(baseName: string, dir: string): TemplateFileEntry | undefined {
  const extension = extname(baseName);
  if (!(TEMPLATE_EXTENSIONS as readonly string[]).includes(extension)) return undefined;
  if (/^readme\./i.test(baseName)) return undefined;
  const stem = baseName.slice(0, -extension.length);
  const at = stem.indexOf('@');
  const name = at === -1 ? stem : stem.slice(0, at);
  if (!TEMPLATE_NAME.test(name)) return undefined;
  const file = join(dir, baseName);
  if (at === -1) return { name, file };
  const pinnedVersion = stem.slice(at + 1);
  return SEMVER.test(pinnedVersion) ? { name, file, pinnedVersion } : undefined;
}

/**
 * Splits a template reference `name` or `name@version` (a semver, or a git commit).
 *
 * @example
 * parseTemplateRef('legal_analysis@1.2.0'); // { name: 'legal_analysis', version: '1.2.0' }
 */
export function parseTemplateRef(ref: string): { name: string; version?: string } {
  const at = ref.indexOf('@');
  if (at === -1) return { name: ref };
  return { name: ref.slice(0, at), version: ref.slice(at + 1) };
}
