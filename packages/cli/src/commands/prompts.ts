import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  createPromptRegistry,
  type PromptRegistry,
  type PromptTemplate,
  type RenderedPrompt,
  type TemplateSummary,
} from '@reins/prompts';

const USAGE = `Usage:
  reins prompts list                          list the templates
  reins prompts show NAME[@VERSION]           front matter, variables, versions and source
  reins prompts render NAME[@VERSION] --vars FILE.json
                                              render to [system]/[user]/[assistant] parts
  reins prompts diff NAME@V1 NAME@V2          unified diff between two versions

Options:
  --dir DIR          the prompts folder (default: ./prompts)
  --vars FILE        JSON object of variables for render ('-' reads stdin)
  --strict-extra     unknown variables are an error (render)
  --json             print JSON instead of text
  --no-git           do not ask git for commits and history

A VERSION is a semver from front matter (found in the working file, a pinned
NAME@x.y.z file, or git history) or a git commit id.`;

/**
 * `reins prompts`: list, show, render and diff the templates of a prompts folder.
 *
 * @example
 * await run(['render', 'legal_analysis', '--vars', 'vars.json']);
 */
export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: 'prompts' },
      vars: { type: 'string' },
      'strict-extra': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'no-git': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [subcommand, ...rest] = positionals;
  if (values.help || subcommand === undefined || subcommand === 'help') {
    console.log(USAGE);
    return;
  }
  const registry = createPromptRegistry({ dir: values.dir, git: !values['no-git'] });
  const print = (value: unknown, text: () => string) =>
    console.log(values.json ? JSON.stringify(value, null, 2) : text());

  switch (subcommand) {
    case 'list': {
      const templates = registry.list();
      print(templates, () => formatList(templates, registry.dir));
      return;
    }
    case 'show': {
      const name = required(rest[0], 'show NAME');
      const template = registry.get(name);
      const versions = registry.versions(template.name);
      print({ ...template, versions }, () => formatShow(template, registry));
      return;
    }
    case 'render': {
      const name = required(rest[0], 'render NAME --vars FILE.json');
      const variables = values.vars === undefined ? {} : readVariables(values.vars);
      const rendered = registry.render(name, variables, { strictExtra: values['strict-extra'] });
      for (const warning of rendered.warnings ?? []) console.error(`warning: ${warning}`);
      print(rendered, () => formatRendered(rendered));
      return;
    }
    case 'diff': {
      const from = required(rest[0], 'diff NAME@V1 NAME@V2');
      const to = required(rest[1], 'diff NAME@V1 NAME@V2');
      const diff = registry.diff(from, to);
      if (values.json) print(diff, () => '');
      else if (diff.identical) console.error(`${from} and ${to} are identical`);
      else process.stdout.write(diff.patch);
      return;
    }
    default:
      console.error(`reins prompts: unknown subcommand '${subcommand}'\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

function required(value: string | undefined, usage: string): string {
  if (value === undefined) throw new Error(`usage: reins prompts ${usage}`);
  return value;
}

function readVariables(path: string): Record<string, unknown> {
  const text = readFileSync(path === '-' ? 0 : path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`--vars ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`--vars ${path} must hold a JSON object of variable names to values`);
  }
  return parsed as Record<string, unknown>;
}

function formatList(templates: TemplateSummary[], dir: string): string {
  if (templates.length === 0) return `no templates in ${dir}`;
  const rows = templates.map((template) => [
    template.name,
    template.version,
    commitLabel(template.gitCommit, template.dirty),
    String(template.variables.length),
    template.description ?? '',
  ]);
  return table([['NAME', 'VERSION', 'COMMIT', 'VARS', 'DESCRIPTION'], ...rows]);
}

function formatShow(template: PromptTemplate, registry: PromptRegistry): string {
  const lines = [
    `${template.name}@${template.version}`,
    `  file         ${template.file}`,
    `  sha256       ${template.hash}`,
    `  git commit   ${commitLabel(template.gitCommit, template.dirty)}`,
  ];
  if (template.description !== undefined) lines.push(`  description  ${template.description}`);
  if (template.model !== undefined) lines.push(`  model        ${template.model}`);
  if (template.params !== undefined) lines.push(`  params       ${JSON.stringify(template.params)}`);
  lines.push('', 'Variables:');
  const variableRows = template.variables.map((variable) => [
    `  ${variable.name}`,
    variable.required ? 'required' : 'optional',
    Object.hasOwn(variable, 'default') ? `default ${JSON.stringify(variable.default)}` : '',
    variable.description ?? '',
  ]);
  lines.push(variableRows.length > 0 ? table(variableRows) : '  (none)');
  lines.push('', 'Versions:');
  const versionRows = registry
    .versions(template.name)
    .map((version) => [
      `  ${version.version}`,
      version.origin,
      version.origin === 'git'
        ? (version.gitCommit ?? '').slice(0, 12)
        : commitLabel(version.gitCommit, version.dirty),
      version.committedAt ?? '',
      version.hash.slice(0, 12),
    ]);
  lines.push(table(versionRows), '', '--- source ---', template.source.trimEnd());
  return lines.join('\n');
}

function formatRendered(rendered: RenderedPrompt): string {
  const parts: string[] = [];
  if (rendered.system !== undefined) parts.push(`[system]\n${rendered.system}`);
  for (const message of rendered.messages) parts.push(`[${message.role}]\n${message.content}`);
  return parts.join('\n\n');
}

function commitLabel(gitCommit: string | undefined, dirty: boolean | undefined): string {
  if (gitCommit === undefined) return dirty ? 'uncommitted' : '-';
  return gitCommit.replace(/^([0-9a-f]{12})[0-9a-f]*/, '$1');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
