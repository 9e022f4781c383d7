import { symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GenerateRequest, TemplateRef } from '@reins/client';
import { describe, expect, it } from 'vitest';
import {
  createPromptRegistry,
  PromptError,
  TemplateNotFoundError,
  TemplateRenderError,
  TemplateSandboxError,
  TemplateSyntaxError,
  TemplateVariablesError,
} from '../src/index.ts';
import { templateFile, temporaryDir, writeFiles } from './fixtures.ts';

const caught = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

function fixture() {
  const dir = temporaryDir();
  writeFiles(dir, {
    'greet.txt': templateFile(
      '1.2.0',
      '{% system %}You greet people in {{ language }}.{% endsystem %}\nSay hello to {{ name }} from {{ city }}.',
      [
        'description: Greets someone',
        'model: openai/gpt-5.6-luna',
        'params:',
        '  temperature: 0.1',
        '  maxTokens: 50',
        'variables:',
        '  name: Who to greet',
        '  language:',
        '    description: Reply language',
        '    default: English',
        '  city:',
        '    required: true',
        '',
      ].join('\n'),
    ),
    'plain.md':
      'Hello {{ who }}{% if title is defined %}, {{ title }}{% endif %}. {{ sign_off | default("Bye") }}\n',
    'optional.njk': templateFile(
      '0.1.0',
      '{% if note is defined %}Note: {{ note }}{% endif %}Done',
      'variables:\n  note:\n    required: false\n',
    ),
    'declared_unused.txt': templateFile('1.0.0', 'static text', 'variables:\n  ticket: The ticket id\n'),
    'with_partial.txt': '{% for d in docs %}{% include "partials/doc.njk" %}{% endfor %}',
    'partials/doc.njk': '- {{ d.title }} ({{ audience }})\n',
    '_shared.txt': 'partial, not listed',
    'README.md': '# not a template',
  });
  return { dir, registry: createPromptRegistry({ dir, git: false }) };
}

describe('createPromptRegistry: rendering', () => {
  it('renders system and user parts with the template identity, params and model', () => {
    const { registry } = fixture();
    const rendered = registry.render('greet', { name: 'Ada', city: 'London' });
    expect(rendered).toEqual({
      system: 'You greet people in English.',
      messages: [{ role: 'user', content: 'Say hello to Ada from London.' }],
      template: { name: 'greet', version: '1.2.0', hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      params: { temperature: 0.1, maxTokens: 50 },
      model: 'openai/gpt-5.6-luna',
    });
    // The identity is what @reins/client records for every call, and the parts fit its request.
    const ref: TemplateRef = rendered.template;
    const request: GenerateRequest = {
      model: rendered.model,
      system: rendered.system,
      messages: rendered.messages,
      ...rendered.params,
      metadata: { template: rendered.template },
    };
    expect(ref.name).toBe('greet');
    expect(request.maxTokens).toBe(50);
  });

  it('applies defaults only when a variable is absent', () => {
    const { registry } = fixture();
    expect(registry.render('greet', { name: 'A', city: 'B', language: 'Welsh' }).system).toBe(
      'You greet people in Welsh.',
    );
    expect(registry.render('greet', { name: 'A', city: 'B', language: undefined }).system).toBe(
      'You greet people in English.',
    );
  });

  it('throws one TemplateVariablesError naming every missing variable', () => {
    const { registry } = fixture();
    const error = caught(() => registry.render('greet', {})) as TemplateVariablesError;
    expect(error).toBeInstanceOf(TemplateVariablesError);
    expect(error).toBeInstanceOf(PromptError);
    expect(error.name).toBe('TemplateVariablesError');
    expect(error.missing).toEqual(['name', 'city']);
    expect(error.template).toBe('greet');
    expect(error.message).toBe("template 'greet' is missing variables: name, city");
    const withExtra = caught(() =>
      registry.render('greet', { name: 'A', colour: 'red' }),
    ) as TemplateVariablesError;
    expect(withExtra.missing).toEqual(['city']);
    expect(withExtra.extra).toEqual(['colour']);
  });

  it('reports unknown extra variables as warnings, or refuses them with strictExtra', () => {
    const { dir, registry } = fixture();
    const rendered = registry.render('greet', { name: 'A', city: 'B', colour: 'red', size: 2 });
    expect(rendered.extra).toEqual(['colour', 'size']);
    expect(rendered.warnings).toEqual([
      "unknown variable 'colour': template 'greet' does not use it",
      "unknown variable 'size': template 'greet' does not use it",
    ]);
    const strict = caught(() =>
      registry.render('greet', { name: 'A', city: 'B', colour: 'red' }, { strictExtra: true }),
    );
    expect(strict).toBeInstanceOf(TemplateVariablesError);
    expect((strict as TemplateVariablesError).missing).toEqual([]);
    expect((strict as TemplateVariablesError).extra).toEqual(['colour']);
    const strictRegistry = createPromptRegistry({ dir, git: false, strictExtra: true });
    expect(caught(() => strictRegistry.render('greet', { name: 'A', city: 'B', x: 1 }))).toBeInstanceOf(
      TemplateVariablesError,
    );
    expect(
      strictRegistry.render('greet', { name: 'A', city: 'B', x: 1 }, { strictExtra: false }).extra,
    ).toEqual(['x']);
  });

  it('treats variables used only under `is defined`/`default`, or declared required: false, as optional', () => {
    const { registry } = fixture();
    expect(registry.render('plain', { who: 'Bo' }).messages[0]!.content).toBe('Hello Bo. Bye');
    expect(registry.render('plain', { who: 'Bo', title: 'Dr', sign_off: 'Ciao' }).messages[0]!.content).toBe(
      'Hello Bo, Dr. Ciao',
    );
    expect(registry.render('optional', {}).messages[0]!.content).toBe('Done');
    expect(registry.render('optional', { note: 'n' }).messages[0]!.content).toBe('Note: nDone');
    expect((caught(() => registry.render('declared_unused', {})) as TemplateVariablesError).missing).toEqual([
      'ticket',
    ]);
  });

  it('fails at render time on anything undefined, never rendering an empty string', () => {
    const { registry } = fixture();
    const error = caught(() =>
      registry.render('with_partial', { docs: [{ name: 'no title' }], audience: 'all' }),
    );
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect((error as TemplateRenderError).message).toContain("'d.title' is undefined");
    expect((error as TemplateRenderError).template).toBe('with_partial');
    expect((error as TemplateRenderError).file).toMatch(/partials\/doc\.njk$/);
  });

  it('renders includes with the loop scope and needs the partial variables', () => {
    const { registry } = fixture();
    expect(registry.get('with_partial').variables.map((variable) => variable.name)).toEqual([
      'docs',
      'audience',
    ]);
    const rendered = registry.render('with_partial', {
      docs: [{ title: 'A' }, { title: 'B' }],
      audience: 'all',
    });
    expect(rendered.messages[0]!.content).toBe('- A (all)\n- B (all)');
  });
});

describe('createPromptRegistry: list and get', () => {
  it('lists templates with version, description, variables (descriptions, defaults), file and hash', () => {
    const { dir, registry } = fixture();
    const list = registry.list();
    expect(list.map((template) => template.name)).toEqual([
      'declared_unused',
      'greet',
      'optional',
      'plain',
      'with_partial',
    ]);
    const greet = list.find((template) => template.name === 'greet')!;
    expect(greet).toEqual({
      name: 'greet',
      version: '1.2.0',
      description: 'Greets someone',
      model: 'openai/gpt-5.6-luna',
      variables: [
        { name: 'name', required: true, description: 'Who to greet' },
        { name: 'language', required: false, description: 'Reply language', default: 'English' },
        { name: 'city', required: true },
      ],
      file: join(dir, 'greet.txt'),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(list.find((template) => template.name === 'plain')!.version).toBe('0.0.0');
  });

  it('gets the parsed template: source, front matter, and syntax-tree variables unioned with declared ones', () => {
    const { registry } = fixture();
    const plain = registry.get('plain');
    expect(plain.frontMatter).toEqual({});
    expect(plain.source).toContain('Hello {{ who }}');
    expect(plain.variables).toEqual([
      { name: 'who', required: true, declared: false, used: true },
      { name: 'title', required: false, declared: false, used: true },
      { name: 'sign_off', required: false, declared: false, used: true },
    ]);
    const unused = registry.get('declared_unused');
    expect(unused.variables).toEqual([
      { name: 'ticket', description: 'The ticket id', required: true, declared: true, used: false },
    ]);
    expect(registry.get('greet').bodyLine).toBe(16);
  });

  it('names the template and lists the available ones when it does not exist', () => {
    const { registry } = fixture();
    for (const name of ['nope', '../greet', 'partials/doc', '_shared', 'README', '']) {
      const error = caught(() => registry.render(name, {})) as TemplateNotFoundError;
      expect(error, name).toBeInstanceOf(TemplateNotFoundError);
      expect(error.available).toEqual(['declared_unused', 'greet', 'optional', 'plain', 'with_partial']);
    }
    expect((caught(() => registry.get('nope')) as Error).message).toContain("no template 'nope'");
  });

  it('re-reads a template when its file changes', () => {
    const { dir, registry } = fixture();
    const before = registry.get('plain').hash;
    writeFileSync(join(dir, 'plain.md'), 'Changed {{ who }}\n');
    utimesSync(join(dir, 'plain.md'), new Date(), new Date(Date.now() + 5_000));
    expect(registry.get('plain').hash).not.toBe(before);
    expect(registry.render('plain', { who: 'x' }).messages[0]!.content).toBe('Changed x');
  });

  it('refuses two files for one name', () => {
    const { dir, registry } = fixture();
    writeFileSync(join(dir, 'plain.txt'), 'other');
    const error = caught(() => registry.get('plain'));
    expect(PromptError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('ambiguous');
  });

  it('fails with TemplateSyntaxError naming the file and line for bad front matter or syntax', () => {
    const dir = temporaryDir();
    writeFiles(dir, {
      'bad_semver.txt': '---\ndescription: x\nversion: 1.0\n---\nbody\n',
      'bad_yaml.txt': '---\nversion: 1.0.0\nparams: [\n---\nbody\n',
      'bad_syntax.txt': '---\nversion: 1.0.0\n---\nfine\n{% for x in %}\n',
    });
    const registry = createPromptRegistry({ dir, git: false });
    const semver = caught(() => registry.get('bad_semver')) as TemplateSyntaxError;
    expect(semver).toBeInstanceOf(TemplateSyntaxError);
    expect(semver.file).toBe(join(dir, 'bad_semver.txt'));
    expect(semver.line).toBe(3);
    expect(semver.template).toBe('bad_semver');
    expect((caught(() => registry.get('bad_yaml')) as TemplateSyntaxError).line).toBeGreaterThanOrEqual(3);
    const syntax = caught(() => registry.render('bad_syntax', {})) as TemplateSyntaxError;
    expect(syntax).toBeInstanceOf(TemplateSyntaxError);
    expect(syntax.line).toBe(5);
    expect(caught(() => registry.list())).toBeInstanceOf(TemplateSyntaxError);
  });

  it('keeps includes inside the prompts folder, symbolic links included', () => {
    const root = temporaryDir();
    writeFiles(root, {
      'outside.txt': 'SECRET',
      'prompts/leak.txt': '{% include "../outside.txt" %}',
      'prompts/leak_abs.txt': `{% include "${join(root, 'outside.txt')}" %}`,
      'prompts/inside.txt': '{% include "partials/p.txt" %}',
      'prompts/partials/p.txt': 'inside',
    });
    symlinkSync(join(root, 'outside.txt'), join(root, 'prompts', 'linked.txt'));
    writeFiles(root, { 'prompts/via_link.txt': '{% include "linked.txt" %}' });
    const registry = createPromptRegistry({ dir: join(root, 'prompts'), git: false });
    expect(registry.render('inside', {}).messages[0]!.content).toBe('inside');
    for (const name of ['leak', 'leak_abs', 'via_link']) {
      expect(
        caught(() => registry.render(name, {})),
        name,
      ).toBeInstanceOf(TemplateSandboxError);
    }
  });
});
