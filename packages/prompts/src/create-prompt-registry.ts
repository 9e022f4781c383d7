import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { displayPath } from './display-path.ts';
import { PromptError, TemplateNotFoundError, TemplateSyntaxError } from './errors.ts';
import { createGitInspector } from './git-inspector.ts';
import type { ParsedTemplate, PromptTemplate } from './parse-template.ts';
import { parseTemplate } from './parse-template.ts';
import { type RenderedPrompt, type RenderOptions, renderPrompt } from './render-prompt.ts';
import { createSandboxedEnvironment } from './sandboxed-environment.ts';
import { compareSemver } from './semver.ts';
import { summarizeTemplate, type TemplateSummary } from './summarize-template.ts';
import {
  listTemplateFiles,
  parseTemplateFileName,
  parseTemplateRef,
  TEMPLATE_EXTENSIONS,
  TEMPLATE_NAME,
  type TemplateFileEntry,
} from './template-files.ts';
import {
  COMMIT_ID,
  gitVersions,
  pinnedFiles,
  type TemplateVersionInfo,
  versionOf,
} from './template-history.ts';
import { hashTemplate, type TemplateVersion, templateVersion } from './template-version.ts';
import { unifiedDiff } from './unified-diff.ts';

/** How `createPromptRegistry` finds and checks templates. */
export type PromptRegistryOptions = {
  /** The folder of template files; default `./prompts` (relative to the working directory). */
  dir?: string;
  /** Ask git for the commit behind each template and its history; default `true`. */
  git?: boolean;
  /** Make unknown extra variables an error for every render; default `false` (reported only). */
  strictExtra?: boolean;
};

/** Two versions of a template and the unified diff between their files. */
export type TemplateDiff = { from: TemplateVersion; to: TemplateVersion; patch: string; identical: boolean };

/** The registry over a prompts folder. */
export type PromptRegistry = {
  /** Absolute path of the prompts folder. */
  dir: string;
  /** Every template (pinned copies excluded), by name. */
  list(): TemplateSummary[];
  /** A parsed template: `name` for the file as it is, `name@1.2.0` or `name@<commit>` for an old version. */
  get(ref: string): PromptTemplate;
  /** Renders a template (or `name@version`) with variables; see {@link RenderedPrompt}. */
  render(ref: string, variables?: Record<string, unknown>, options?: RenderOptions): RenderedPrompt;
  /** The reachable versions of a template: the working file, pinned copies, then git history. */
  versions(name: string): TemplateVersionInfo[];
  /** A unified diff between two refs, e.g. `diff('legal_analysis@1.0.0', 'legal_analysis@1.1.0')`. */
  diff(from: string, to: string): TemplateDiff;
  /** Forgets cached files and git answers (after commits made while the process runs). */
  refresh(): void;
};

/**
 * A registry of prompt templates kept as files (`name.txt`, `.md` or `.njk`) in `dir`: Nunjucks
 * (Jinja syntax) with YAML front matter, rendered in a sandbox into `{ system, messages }`, with
 * a version identity (semver, SHA-256, git commit) for every call's metadata. Files are re-read
 * when they change on disk.
 *
 * @example
 * const prompts = createPromptRegistry({ dir: 'prompts' });
 * const { system, messages, template } = prompts.render('legal_analysis', variables);
 * await client.generate({ model: 'anthropic/claude-haiku-4-5', system, messages, metadata: { template } });
 */
export function createPromptRegistry(options: PromptRegistryOptions = {}): PromptRegistry {
  const dir = resolve(options.dir ?? 'prompts');
  const sandbox = createSandboxedEnvironment({ dir });
  const git = createGitInspector({ enabled: options.git ?? true });
  const working = new Map<string, { mtimeMs: number; size: number; parsed: ParsedTemplate }>();
  const historical = new Map<string, ParsedTemplate>();

  function entries(): TemplateFileEntry[] {
    try {
      return listTemplateFiles(dir);
    } catch (error) {
      throw new PromptError(`prompts directory ${displayPath(dir)} cannot be read`, { cause: error });
    }
  }

  function names(): string[] {
    return [
      ...new Set(
        entries()
          .filter((entry) => entry.pinnedVersion === undefined)
          .map((entry) => entry.name),
      ),
    ];
  }

  function notFound(name: string): TemplateNotFoundError {
    const available = names();
    const list = available.length > 0 ? available.join(', ') : 'none';
    return new TemplateNotFoundError(`no template '${name}' in ${displayPath(dir)} (available: ${list})`, {
      template: name,
      available,
    });
  }

  function workingFile(name: string): string | undefined {
    if (!TEMPLATE_NAME.test(name)) return undefined;
    // The same rules as the listing (so `README` or `_partial` never resolve as templates).
    const found = TEMPLATE_EXTENSIONS.map((extension) => parseTemplateFileName(name + extension, dir))
      .filter((entry) => entry !== undefined && entry.pinnedVersion === undefined)
      .map((entry) => entry!.file)
      .filter(isFile);
    if (found.length > 1) {
      throw new PromptError(`template '${name}' is ambiguous: ${found.map(displayPath).join(', ')}`, {
        template: name,
      });
    }
    return found[0];
  }

  function loadWorking(name: string, file: string): ParsedTemplate {
    const stats = statSync(file);
    const cached = working.get(file);
    if (cached !== undefined && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size)
      return cached.parsed;
    const source = readFileSync(file, 'utf8');
    const parsed = parseTemplate({ name, file, source, sandbox, git: git.state(file, hashTemplate(source)) });
    working.set(file, { mtimeMs: stats.mtimeMs, size: stats.size, parsed });
    return parsed;
  }

  function loadPinned(entry: TemplateFileEntry): ParsedTemplate {
    const parsed = loadWorking(entry.name, entry.file);
    if (parsed.template.version !== entry.pinnedVersion) {
      const shown = displayPath(entry.file);
      throw new TemplateSyntaxError(
        `${shown}: the file name pins version ${entry.pinnedVersion} but its front matter says ${parsed.template.version}`,
        { file: entry.file, line: 1, template: entry.name },
      );
    }
    return parsed;
  }

  function loadCommit(name: string, file: string, commit: string): ParsedTemplate | undefined {
    const key = `${file}\0${commit}`;
    const cached = historical.get(key);
    if (cached !== undefined) return cached;
    const source = git.show(commit, file);
    if (source === undefined) return undefined;
    const parsed = parseTemplate({ name, file, source, sandbox, git: { gitCommit: commit } });
    historical.set(key, parsed);
    return parsed;
  }

  /** Where a template's history lives: its file, or (deleted) the paths it may have had. */
  function historyFiles(name: string): string[] {
    const file = workingFile(name);
    return file !== undefined ? [file] : TEMPLATE_EXTENSIONS.map((extension) => join(dir, name + extension));
  }

  function resolveRef(ref: string): ParsedTemplate {
    const { name, version } = parseTemplateRef(ref);
    if (!TEMPLATE_NAME.test(name)) throw notFound(name);
    const file = workingFile(name);
    if (version === undefined) {
      if (file === undefined) throw notFound(name);
      return loadWorking(name, file);
    }
    // Only the version is read here: a broken working file must not hide a good old version.
    if (file !== undefined && versionOf(readFileSync(file, 'utf8'), file) === version)
      return loadWorking(name, file);
    const pinned = pinnedFiles(entries(), name).find((entry) => entry.pinnedVersion === version);
    if (pinned !== undefined) return loadPinned(pinned);
    for (const candidate of historyFiles(name)) {
      const match = gitVersions(git, name, candidate).find((entry) => entry.version === version);
      const parsed = match === undefined ? undefined : loadCommit(name, candidate, match.gitCommit!);
      if (parsed !== undefined) return parsed;
    }
    if (COMMIT_ID.test(version)) {
      for (const candidate of historyFiles(name)) {
        const parsed = loadCommit(name, candidate, version);
        if (parsed !== undefined) return parsed;
      }
    }
    if (file === undefined && pinnedFiles(entries(), name).length === 0) throw notFound(name);
    const available = [...new Set(versions(name).map((entry) => `${name}@${entry.version}`))];
    throw new TemplateNotFoundError(
      `no version '${version}' of template '${name}' (available: ${available.join(', ') || 'none'})`,
      { template: name, available },
    );
  }

  function versions(name: string): TemplateVersionInfo[] {
    const found: TemplateVersionInfo[] = [];
    const file = workingFile(name);
    if (file !== undefined) {
      const source = readFileSync(file, 'utf8');
      const hash = hashTemplate(source);
      const version = versionOf(source, file) ?? 'invalid';
      found.push({ ...templateVersion(name, version, hash, git.state(file, hash)), origin: 'working', file });
    }
    const pinned = pinnedFiles(entries(), name).map((entry): TemplateVersionInfo => {
      const source = readFileSync(entry.file, 'utf8');
      const version = versionOf(source, entry.file) ?? entry.pinnedVersion!;
      return { name, version, hash: hashTemplate(source), origin: 'pinned', file: entry.file };
    });
    found.push(...pinned.sort((a, b) => compareSemver(b.version, a.version)));
    for (const candidate of historyFiles(name)) found.push(...gitVersions(git, name, candidate));
    if (found.length === 0) throw notFound(name);
    return found;
  }

  function withTemplate<T>(name: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      if (PromptError.isInstance(error) && error.template === undefined) {
        Object.defineProperty(error, 'template', { value: name, enumerable: true });
      }
      throw error;
    }
  }

  function get(ref: string): PromptTemplate {
    return withTemplate(parseTemplateRef(ref).name, () => resolveRef(ref).template);
  }

  return {
    dir,
    list() {
      return names().map((name) => summarizeTemplate(get(name)));
    },
    get,
    render(ref, variables = {}, renderOptions = {}) {
      const strictExtra = renderOptions.strictExtra ?? options.strictExtra ?? false;
      return withTemplate(parseTemplateRef(ref).name, () =>
        renderPrompt(resolveRef(ref), sandbox, variables, { strictExtra }),
      );
    },
    versions(name) {
      return withTemplate(name, () => versions(name));
    },
    diff(from, to) {
      const before = get(from);
      const after = get(to);
      const label = (template: PromptTemplate, ref: string) => {
        const name = ref.includes('@') ? ref : `${template.name}@${template.version}`;
        const commit = template.gitCommit?.replace(/^([0-9a-f]{12})[0-9a-f]*/, '$1');
        return commit === undefined ? name : `${name} (${commit})`;
      };
      const patch = unifiedDiff(before.source, after.source, {
        from: label(before, from),
        to: label(after, to),
      });
      return { from: before.identity, to: after.identity, patch, identical: patch === '' };
    },
    refresh() {
      working.clear();
      historical.clear();
      git.clear();
    },
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
