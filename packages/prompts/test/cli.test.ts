import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commitAll, templateFile, temporaryRepo } from './fixtures.ts';

const bin = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));

function reins(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, 'prompts', ...args], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** prompts/brief.txt committed at 1.0.0 then 2.0.0, plus a never-committed draft. */
function promptsRepo() {
  const { repo, dir } = temporaryRepo();
  const brief = join(dir, 'brief.txt');
  writeFileSync(
    brief,
    templateFile(
      '1.0.0',
      'Brief {{ client }}.',
      'description: Writes a brief\nvariables:\n  client: Client name\n',
    ),
  );
  const first = commitAll(repo, 'brief 1.0.0');
  writeFileSync(
    brief,
    templateFile(
      '2.0.0',
      '{% system %}You write briefs.{% endsystem %}\nBrief {{ client }} about {{ topic }}.',
      'description: Writes a brief\nvariables:\n  client: Client name\n  topic:\n    default: pricing\n',
    ),
  );
  const second = commitAll(repo, 'brief 2.0.0');
  writeFileSync(join(dir, 'draft.txt'), 'Draft for {{ client }}');
  const vars = join(repo, 'vars.json');
  writeFileSync(vars, JSON.stringify({ client: 'Acme', colour: 'blue' }));
  return { repo, dir, first, second, vars };
}

describe('reins prompts', () => {
  it('lists templates with version, commit and description', () => {
    const { dir, second } = promptsRepo();
    const { code, stdout } = reins('list', '--dir', dir);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+VERSION\s+COMMIT\s+VARS\s+DESCRIPTION$/);
    expect(lines[1]).toMatch(
      new RegExp(`^brief\\s+2\\.0\\.0\\s+${second.slice(0, 12)}\\s+2\\s+Writes a brief$`),
    );
    expect(lines[2]).toMatch(/^draft\s+0\.0\.0\s+uncommitted\s+1$/);
    const json = JSON.parse(reins('list', '--dir', dir, '--json').stdout);
    expect(json[0]).toMatchObject({ name: 'brief', version: '2.0.0', gitCommit: second });
  });

  it('shows a template: identity, variables, versions and source', () => {
    const { dir, first, second } = promptsRepo();
    const { code, stdout } = reins('show', 'brief', '--dir', dir);
    expect(code).toBe(0);
    expect(stdout).toContain('brief@2.0.0');
    expect(stdout).toContain(`git commit   ${second.slice(0, 12)}`);
    expect(stdout).toMatch(/client\s+required\s+Client name/);
    expect(stdout).toMatch(/topic\s+optional\s+default "pricing"/);
    expect(stdout).toMatch(new RegExp(`1\\.0\\.0\\s+git\\s+${first.slice(0, 12)}`));
    expect(stdout).toContain('--- source ---\n---\nversion: 2.0.0');
    expect(reins('show', 'brief@1.0.0', '--dir', dir).stdout).toContain('brief@1.0.0');
  });

  it('renders with --vars, warning about unknown variables on stderr', () => {
    const { dir, vars } = promptsRepo();
    const { code, stdout, stderr } = reins('render', 'brief', '--vars', vars, '--dir', dir);
    expect(code).toBe(0);
    expect(stdout).toBe('[system]\nYou write briefs.\n\n[user]\nBrief Acme about pricing.\n');
    expect(stderr).toContain("warning: unknown variable 'colour'");
    const json = JSON.parse(reins('render', 'brief@1.0.0', '--vars', vars, '--dir', dir, '--json').stdout);
    expect(json).toMatchObject({
      messages: [{ role: 'user', content: 'Brief Acme.' }],
      template: { version: '1.0.0' },
    });
    const strict = reins('render', 'brief', '--vars', vars, '--dir', dir, '--strict-extra');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('unknown variable: colour');
  });

  it('fails with every missing variable named', () => {
    const { dir } = promptsRepo();
    const { code, stderr } = reins('render', 'brief', '--dir', dir);
    expect(code).toBe(1);
    expect(stderr).toContain("reins: template 'brief' is missing variable: client");
  });

  it('diffs two versions out of git history', () => {
    const { dir, first, second } = promptsRepo();
    const { code, stdout } = reins('diff', 'brief@1.0.0', 'brief@2.0.0', '--dir', dir);
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      `--- brief@1.0.0 (${first.slice(0, 12)})`,
      `+++ brief@2.0.0 (${second.slice(0, 12)})`,
      '@@ -1,7 +1,10 @@',
    ]);
    expect(stdout).toContain('-version: 1.0.0\n+version: 2.0.0');
    expect(stdout).toContain('-Brief {{ client }}.\n+{% system %}You write briefs.{% endsystem %}');
  });

  it('names unknown templates and versions, and explains its usage', () => {
    const { dir } = promptsRepo();
    const missing = reins('show', 'nope', '--dir', dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no template 'nope'");
    expect(missing.stderr).toContain('available: brief, draft');
    expect(reins('render', 'brief@9.9.9', '--dir', dir).stderr).toContain(
      'available: brief@2.0.0, brief@1.0.0',
    );
    expect(reins('frobnicate', '--dir', dir).code).toBe(2);
    expect(reins('--help').stdout).toContain('reins prompts diff NAME@V1 NAME@V2');
  });
});
