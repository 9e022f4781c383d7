import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TemplateRenderError, TemplateSandboxError, TemplateSyntaxError } from '../src/errors.ts';
import { sandboxFixture } from './sandbox-fixture.ts';

const { root, failure, text } = sandboxFixture();

afterEach(() => {
  // Nothing an attack tried leaked into the process.
  expect((globalThis as Record<string, unknown>)['PWNED']).toBeUndefined();
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

describe('sandboxed environment: attacks', () => {
  const prototypeAttacks = [
    '{{ range.constructor("return process")() }}',
    '{{ "".constructor.constructor("return process")() }}',
    '{{ cycler.constructor }}',
    '{{ joiner.constructor("return globalThis")() }}',
    '{{ x.constructor }}',
    '{{ x["constructor"] }}',
    '{{ x["con" ~ "structor"] }}',
    '{{ x[name] }}',
    '{{ x.__proto__ }}',
    '{{ x["__pro" ~ "to__"] }}',
    '{{ x.prototype }}',
    '{{ x.__lookupGetter__("__proto__") }}',
    '{{ x.__defineGetter__ }}',
    '{{ range.caller }}',
    '{{ range.arguments }}',
    '{{ (range(3)).constructor }}',
    '{% for i in [1] %}{{ loop.constructor }}{% endfor %}',
    '{% macro m() %}{% endmacro %}{{ m.constructor("return process")() }}',
    '{{ r/x/.constructor }}',
    '{{ x.toString }}',
    '{{ x.hasOwnProperty("a") }}',
    '{{ x.valueOf() }}',
    '{{ x.isPrototypeOf }}',
    '{{ [].map }}',
    '{{ [1].push(2) }}',
    '{{ [1].concat.call }}',
    '{{ "".big() }}',
    '{{ "abc".constructor }}',
    '{{ range.call }}',
    '{{ range.apply(null, [3]) }}',
    '{{ range.bind }}',
    '{{ (1).constructor }}',
    '{{ true.constructor }}',
  ];
  it.each(prototypeAttacks)('refuses %s', (source) => {
    const error = failure(source, { x: { a: 1 }, name: 'constructor' });
    expect(
      TemplateSandboxError.isInstance(error) || TemplateSyntaxError.isInstance(error),
      error.message,
    ).toBe(true);
  });

  it('refuses computed member names that are not strings or numbers (array key coercion)', () => {
    expect(failure('{{ x[["constructor"]] }}', { x: {} })).toBeInstanceOf(TemplateSandboxError);
    expect(failure('{{ x[{}] }}', { x: {} })).toBeInstanceOf(TemplateSandboxError);
  });

  it('gives templates no globals: process, require, globalThis, this and friends are undefined', () => {
    for (const name of [
      'process',
      'require',
      'globalThis',
      'global',
      'module',
      'this',
      'eval',
      'Function',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'caller',
    ]) {
      const error = failure(`{{ ${name} }}`);
      expect(error, name).toBeInstanceOf(TemplateRenderError);
      expect(error.message, name).toContain(`'${name}' is undefined`);
    }
    expect(failure('{{ constructor }}')).toBeInstanceOf(TemplateSandboxError);
    expect(failure('{{ __proto__ }}')).toBeInstanceOf(TemplateSandboxError);
  });

  it('refuses forbidden names as variables, keys, arguments and set targets', () => {
    for (const source of [
      '{% set constructor = 1 %}',
      '{% set __proto__ = x %}',
      '{{ { "__proto__": x } }}',
      '{{ {constructor: 1} }}',
      '{{ f(__proto__=1) }}',
      '{% macro m(prototype) %}{% endmacro %}',
      '{% for constructor in [1] %}{% endfor %}',
    ]) {
      expect(failure(source, { x: {}, f: () => 1 }), source).toBeInstanceOf(TemplateSandboxError);
    }
  });

  it('refuses code injection through quoted names into the generated JavaScript', () => {
    for (const source of [
      '{% set "a\\");globalThis.PWNED=1;//" = 1 %}',
      '{{ 1 is "x\\");globalThis.PWNED=1;//" }}',
      '{% macro "m\\");globalThis.PWNED=1;//"() %}{% endmacro %}',
      '{% for "a\\");globalThis.PWNED=1;//" in [1] %}{% endfor %}',
      '{% import "macros.njk" as "m\\");globalThis.PWNED=1;//" %}',
      '{% from "macros.njk" import shout as "s\\");globalThis.PWNED=1;//" %}',
      '{% block "b\\");globalThis.PWNED=1;//" %}{% endblock %}',
    ]) {
      expect(failure(source), source).toBeInstanceOf(TemplateSyntaxError);
    }
    // A called literal's name reaches an error message, not code.
    expect(failure('{{ "\\\\\\");globalThis.PWNED=1;//"() }}')).toBeInstanceOf(TemplateRenderError);
  });

  it('refuses the async tags, whose loop variables would become raw JavaScript names', () => {
    expect(failure('{% asyncEach runtime in [1] %}{{ x }}{% endeach %}')).toBeInstanceOf(TemplateSyntaxError);
    expect(failure('{% asyncAll env in [1] %}{% endall %}')).toBeInstanceOf(TemplateSyntaxError);
    expect(failure('{% ifAsync true %}x{% endif %}')).toBeInstanceOf(TemplateSyntaxError);
  });

  it('refuses prototype pollution through assignments', () => {
    expect(failure('{% set x.__proto__.polluted = 1 %}', { x: {} })).toBeInstanceOf(TemplateSyntaxError);
  });

  it('resolves filter and test names only to registered ones', () => {
    expect(failure('{{ x | constructor }}')).toBeInstanceOf(TemplateSyntaxError);
    expect(failure('{{ x | toString }}')).toBeInstanceOf(TemplateSyntaxError);
    expect(failure('{{ x is hasOwnProperty }}')).toBeInstanceOf(TemplateSyntaxError);
    expect(failure('{{ [x] | select("constructor") | length }}', { x: 1 }).message).toContain(
      "unknown test 'constructor'",
    );
    expect(failure('{{ [x] | reject("__proto__") | length }}', { x: 1 }).message).toContain(
      "unknown test '__proto__'",
    );
  });

  it('refuses attribute filters that name forbidden members or take functions', () => {
    const variables = { items: [{ a: 1 }], m: () => 'x' };
    for (const source of [
      '{{ items | join(",", "constructor") }}',
      '{{ items | sum("constructor") }}',
      '{{ items | sort(false, false, "__proto__") }}',
      '{{ items | sort(attribute="constructor.name") }}',
      '{{ items | groupby("constructor.name") }}',
      '{{ items | selectattr("__proto__") }}',
      '{{ items | rejectattr("constructor") }}',
      '{% macro key(x) %}k{% endmacro %}{{ items | groupby(key) }}',
    ]) {
      expect(failure(source, variables), source).toBeInstanceOf(TemplateSandboxError);
    }
    expect(text('{{ items | join(",", "a") }} {{ items | sum("a") }}', variables)).toBe('1 1');
  });

  it('refuses code-evaluating functions even when a caller passes them in', () => {
    expect(failure('{{ f("return process")() }}', { f: Function })).toBeInstanceOf(TemplateSandboxError);
    expect(failure('{{ o.f("return process")() }}', { o: { f: Function } })).toBeInstanceOf(
      TemplateSandboxError,
    );
    // biome-ignore lint/security/noGlobalEval: handed to a template to prove it cannot be called
    expect(failure('{{ e("process") }}', { e: globalThis.eval })).toBeInstanceOf(TemplateSandboxError);
  });

  it('never hands the nunjucks context to called functions', () => {
    let seen: unknown = 'untouched';
    const probe = function (this: unknown) {
      seen = this;
      return 'ok';
    };
    expect(text('{{ probe() }}', { probe })).toBe('ok');
    expect(seen).toBeUndefined();
  });

  it('keeps includes, imports and extends inside the prompts folder', () => {
    for (const source of [
      '{% include "../secret.txt" %}',
      '{% include "/etc/passwd" %}',
      `{% include "${join(root, 'secret.txt')}" %}`,
      '{% include "partials/../../secret.txt" %}',
      '{% include "partials/escape.njk" %}',
      '{% include name %}',
      '{% extends "../secret.txt" %}',
      '{% import "../secret.txt" as s %}',
      '{% from "../secret.txt" import x %}',
      '{% include "linked.txt" %}',
    ]) {
      const error = failure(source, { name: '../secret.txt' });
      expect(error, source).toBeInstanceOf(TemplateSandboxError);
      expect(error.message, source).not.toContain('TOP SECRET');
    }
    expect(failure('{% include "nowhere.njk" %}').message).toContain('template not found');
    expect(text('{% include "nowhere.njk" ignore missing %}ok')).toBe('ok');
  });
});
