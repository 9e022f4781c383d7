import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createPromptRegistry,
  hashTemplate,
  TemplateNotFoundError,
  TemplateSyntaxError,
} from '../src/index.ts';
import { commitAll, templateFile, temporaryDir, temporaryRepo } from './fixtures.ts';

const V1 = templateFile('1.0.0', 'Summarise {{ text }}.');
const V2 = templateFile(
  '1.1.0',
  '{% system %}Be brief.{% endsystem %}\nSummarise {{ text }} in {{ words }} words.',
);

/** A repo whose prompts/summary.txt was committed at 1.0.0, then at 1.1.0. */
function history() {
  const { repo, dir } = temporaryRepo();
  const file = join(dir, 'summary.txt');
  writeFileSync(file, V1);
  const first = commitAll(repo, 'summary 1.0.0');
  writeFileSync(file, V2);
  const second = commitAll(repo, 'summary 1.1.0');
  return { repo, dir, file, first, second };
}

const caught = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('template versions', () => {
  it('identifies a template by semver, SHA-256 of the file and the last commit that changed it', () => {
    const { dir, second } = history();
    const registry = createPromptRegistry({ dir });
    const rendered = registry.render('summary', { text: 'the memo', words: 50 });
    expect(rendered.template).toEqual({
      name: 'summary',
      version: '1.1.0',
      hash: hashTemplate(V2),
      gitCommit: second,
    });
    expect(registry.list()[0]).toMatchObject({ version: '1.1.0', hash: hashTemplate(V2), gitCommit: second });
  });

  it('marks uncommitted changes: `<sha>+dirty` and dirty: true, and a fresh hash', () => {
    const { dir, file, second } = history();
    const registry = createPromptRegistry({ dir });
    appendFileSync(file, 'Cite sources.\n');
    const { template } = registry.render('summary', { text: 't', words: 1 });
    expect(template.gitCommit).toBe(`${second}+dirty`);
    expect(template.dirty).toBe(true);
    expect(template.hash).toBe(hashTemplate(`${V2}Cite sources.\n`));
  });

  it('marks a template that was never committed as dirty, without a commit', () => {
    const { dir } = temporaryRepo();
    writeFileSync(join(dir, 'draft.txt'), templateFile('0.1.0', 'Draft'));
    const { template } = createPromptRegistry({ dir }).render('draft', {});
    expect(template).toEqual({
      name: 'draft',
      version: '0.1.0',
      hash: hashTemplate(templateFile('0.1.0', 'Draft')),
      dirty: true,
    });
  });

  it('leaves gitCommit out outside a work tree, or with git: false', () => {
    const dir = temporaryDir();
    writeFileSync(join(dir, 'a.txt'), 'A');
    expect(createPromptRegistry({ dir }).render('a', {}).template).toEqual({
      name: 'a',
      version: '0.0.0',
      hash: hashTemplate('A'),
    });
    const { dir: repoDir } = history();
    expect(createPromptRegistry({ dir: repoDir, git: false }).get('summary').gitCommit).toBeUndefined();
  });

  it('renders an old version out of git history by its front-matter version', () => {
    const { dir, first } = history();
    const registry = createPromptRegistry({ dir });
    const old = registry.render('summary@1.0.0', { text: 'the memo' });
    expect(old.messages).toEqual([{ role: 'user', content: 'Summarise the memo.' }]);
    expect(old.system).toBeUndefined();
    expect(old.template).toEqual({
      name: 'summary',
      version: '1.0.0',
      hash: hashTemplate(V1),
      gitCommit: first,
    });
    // Each version checks its own variables.
    expect(registry.get('summary@1.0.0').variables.map((variable) => variable.name)).toEqual(['text']);
    expect(registry.render('summary@1.1.0', { text: 'x', words: 3 }).template.version).toBe('1.1.0');
    // …and by commit id.
    expect(registry.get(`summary@${first.slice(0, 10)}`).version).toBe('1.0.0');
  });

  it('finds pinned copies `name@x.y.z.txt` without git, and checks the pin matches the front matter', () => {
    const dir = temporaryDir();
    writeFileSync(join(dir, 'summary.txt'), V2);
    writeFileSync(join(dir, 'summary@1.0.0.txt'), V1);
    writeFileSync(join(dir, 'summary@0.9.0.txt'), V1);
    const registry = createPromptRegistry({ dir, git: false });
    expect(registry.list().map((template) => template.name)).toEqual(['summary']);
    expect(registry.render('summary@1.0.0', { text: 'x' }).template.version).toBe('1.0.0');
    const mismatch = caught(() => registry.get('summary@0.9.0'));
    expect(mismatch).toBeInstanceOf(TemplateSyntaxError);
    expect((mismatch as Error).message).toContain('pins version 0.9.0 but its front matter says 1.0.0');
  });

  it('lists the reachable versions: working file, pinned copies, git history', () => {
    const { dir, first, second } = history();
    writeFileSync(join(dir, 'summary@0.5.0.txt'), templateFile('0.5.0', 'Old {{ text }}'));
    const versions = createPromptRegistry({ dir }).versions('summary');
    expect(versions.map((version) => [version.version, version.origin, version.gitCommit])).toEqual([
      ['1.1.0', 'working', second],
      ['0.5.0', 'pinned', undefined],
      ['1.1.0', 'git', second],
      ['1.0.0', 'git', first],
    ]);
  });

  it('says which versions exist when asked for one that does not', () => {
    const { dir } = history();
    const error = caught(() => createPromptRegistry({ dir }).get('summary@2.0.0')) as TemplateNotFoundError;
    expect(error).toBeInstanceOf(TemplateNotFoundError);
    expect(error.available).toEqual(['summary@1.1.0', 'summary@1.0.0']);
    expect(error.message).toContain("no version '2.0.0' of template 'summary'");
  });

  it('diffs two versions from git history', () => {
    const { dir, first, second } = history();
    const registry = createPromptRegistry({ dir });
    const diff = registry.diff('summary@1.0.0', 'summary@1.1.0');
    expect(diff.identical).toBe(false);
    expect(diff.from).toMatchObject({ version: '1.0.0', gitCommit: first });
    expect(diff.to).toMatchObject({ version: '1.1.0', gitCommit: second });
    expect(diff.patch).toBe(
      [
        `--- summary@1.0.0 (${first.slice(0, 12)})`,
        `+++ summary@1.1.0 (${second.slice(0, 12)})`,
        '@@ -1,4 +1,5 @@',
        ' ---',
        '-version: 1.0.0',
        '+version: 1.1.0',
        ' ---',
        '-Summarise {{ text }}.',
        '+{% system %}Be brief.{% endsystem %}',
        '+Summarise {{ text }} in {{ words }} words.',
        '',
      ].join('\n'),
    );
    expect(registry.diff('summary@1.1.0', 'summary').identical).toBe(true);
  });
});

describe('template versions when the working file is broken', () => {
  it('still renders and lists old versions', () => {
    const { dir, file } = history();
    writeFileSync(file, '---\nversion: 1.2.0\n---\n{% if %}\n');
    const registry = createPromptRegistry({ dir });
    expect(caught(() => registry.get('summary'))).toBeInstanceOf(TemplateSyntaxError);
    expect(registry.render('summary@1.0.0', { text: 'x' }).messages[0]!.content).toBe('Summarise x.');
    expect(registry.versions('summary').map((version) => version.version)).toEqual([
      '1.2.0',
      '1.1.0',
      '1.0.0',
    ]);
  });
});
