import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTemplateVariables } from './find-template-variables.ts';
import { createSandboxedEnvironment } from './sandboxed-environment.ts';

const dir = mkdtempSync(join(tmpdir(), 'reins-vars-'));
mkdirSync(join(dir, 'partials'));
writeFileSync(
  join(dir, 'partials', 'item.njk'),
  '---\nversion: 1.0.0\n---\n{{ item.title }} for {{ client }}',
);
writeFileSync(join(dir, 'partials', 'nested.njk'), '{% include "./item.njk" %} and {{ nested_only }}');
writeFileSync(join(dir, 'base.njk'), '{{ site }}: {% block body %}{% endblock %}');
const sandbox = createSandboxedEnvironment({ dir });

const variables = (source: string) => {
  const file = join(dir, 'probe.txt');
  const { ast } = sandbox.compile(source, { file, bodyLine: 1 });
  return findTemplateVariables(ast, { file, globals: sandbox.globals, resolve: sandbox.resolvePartial });
};
const names = (source: string) => variables(source).map((variable) => variable.name);

describe('findTemplateVariables', () => {
  it('finds free names in order of first use, through lookups, calls, filters and operators', () => {
    expect(
      names(
        '{{ a }} {{ b.c[d] }} {{ e | truncate(f) }} {{ g(h, k=i) }} {{ j if k else l }} {{ m ~ n + o }} {{ p in q }}',
      ),
      // An inline if reads its condition first.
    ).toEqual(['a', 'b', 'd', 'e', 'f', 'g', 'h', 'i', 'k', 'j', 'l', 'm', 'n', 'o', 'p', 'q']);
  });

  it('ignores what the template binds itself and the globals', () => {
    const source = [
      '{% set greeting = "hi" %}{{ greeting }}',
      '{% for doc in docs %}{{ doc.title }} {{ loop.index }}{% else %}{{ empty_note }}{% endfor %}',
      '{% for key, value in meta %}{{ key }}={{ value }}{% endfor %}',
      '{% for i in range(3) %}{{ i }}{{ cycler }}{% endfor %}',
      '{% set block %}{{ inside_capture }}{% endset %}',
    ].join('\n');
    expect(names(source)).toEqual(['docs', 'empty_note', 'meta', 'inside_capture']);
    expect(names('{{ doc }}{% for doc in docs %}{% endfor %}')).toEqual(['doc', 'docs']);
    expect(names('{% set total = total + 1 %}')).toEqual(['total']);
  });

  it('does not count dict keys, keyword names, filter or test names as variables', () => {
    expect(names('{{ {title: t, "x": y} | dump }} {{ f(width=w) }} {{ a is divisibleby(n) }}')).toEqual([
      't',
      'y',
      'f',
      'w',
      'a',
      'n',
    ]);
  });

  it('reads macro bodies against top-level names, with arguments, defaults and caller bound', () => {
    const source = [
      '{% macro card(title, style=default_style) %}[{{ title }} {{ style }} {{ signature }} {{ caller() }}]{% endmacro %}',
      '{% set signature = "—" %}',
      '{% call card(heading) %}{{ body }}{% endcall %}',
    ].join('\n');
    expect(names(source)).toEqual(['heading', 'body', 'default_style']);
  });

  it('marks names the template tests for (`is defined`) or gives a fallback (`default`) as optional', () => {
    expect(
      variables('{% if note is defined %}{{ note }}{% endif %}{{ x | default("-") }}{{ y.z | d("") }}'),
    ).toEqual([
      { name: 'note', required: false },
      { name: 'x', required: false },
      { name: 'y', required: false },
    ]);
    expect(
      variables('{% if flag is undefined %}-{% endif %}{{ (w ~ "") | default("") }}{{ v }}{{ v | d }}'),
    ).toEqual([
      { name: 'flag', required: false },
      { name: 'w', required: true },
      { name: 'v', required: false },
    ]);
  });

  it('follows static includes with the scope of the include site, and extends', () => {
    expect(names('{% for item in items %}{% include "partials/item.njk" %}{% endfor %}')).toEqual([
      'items',
      'client',
    ]);
    expect(names('{% set item = x %}{% include "partials/nested.njk" %}')).toEqual([
      'x',
      'client',
      'nested_only',
    ]);
    expect(names('{% extends "base.njk" %}{% block body %}{{ text }}{% endblock %}')).toEqual([
      'site',
      'text',
    ]);
    expect(names('{% include name_of_partial %}')).toEqual(['name_of_partial']);
    expect(names('{% include "missing.njk" ignore missing %}{{ a }}')).toEqual(['a']);
  });

  it('binds imported names', () => {
    writeFileSync(join(dir, 'macros.njk'), '{% macro shout(text) %}{{ text | upper }}{% endmacro %}');
    expect(names('{% import "macros.njk" as m %}{{ m.shout(words) }}')).toEqual(['words']);
    expect(names('{% from "macros.njk" import shout as s %}{{ s(words) }}')).toEqual(['words']);
  });
});
