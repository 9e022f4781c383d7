import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { PromptError } from '../src/errors.ts';
import { createSandboxedEnvironment } from '../src/sandboxed-environment.ts';

/**
 * A sandbox over a prompts folder with partials, a base template, macros, and (outside the
 * folder) a secret plus a symbolic link to it; with helpers that render a template source.
 */
export function sandboxFixture() {
  const root = mkdtempSync(join(tmpdir(), 'reins-sandbox-'));
  const dir = join(root, 'prompts');
  mkdirSync(join(dir, 'partials'), { recursive: true });
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(dir, 'partials', 'footer.njk'), '---\nversion: 1.0.0\n---\n-- {{ who }}');
  writeFileSync(join(dir, 'partials', 'relative.njk'), '[{% include "./footer.njk" %}]');
  writeFileSync(join(dir, 'partials', 'escape.njk'), '{% include "../../secret.txt" %}');
  writeFileSync(join(dir, 'base.njk'), 'Header\n{% block body %}default{% endblock %}\nEnd');
  writeFileSync(join(dir, 'macros.njk'), '{% macro shout(text) %}{{ text | upper }}!{% endmacro %}');
  symlinkSync(join(root, 'secret.txt'), join(dir, 'linked.txt'));
  const sandbox = createSandboxedEnvironment({ dir });

  const render = (source: string, variables: Record<string, unknown> = {}) =>
    sandbox.render(sandbox.compile(source, { file: join(dir, 'probe.txt'), bodyLine: 1 }), variables);
  const text = (source: string, variables: Record<string, unknown> = {}) =>
    render(source, variables)
      .messages.map((message) => message.content)
      .join('\n');
  const failure = (source: string, variables: Record<string, unknown> = {}): PromptError => {
    try {
      render(source, variables);
    } catch (error) {
      expect(PromptError.isInstance(error), String(error)).toBe(true);
      return error as PromptError;
    }
    throw new Error(`rendered without error: ${source}`);
  };

  return { root, dir, sandbox, render, text, failure };
}
