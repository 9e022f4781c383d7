import { describe, expect, it } from 'vitest';
import { GenerateBodySchema } from './generate-request.ts';

/** The issues of a body as `path: message`, empty when it is valid. */
function issues(body: Record<string, unknown>): string[] {
  const result = GenerateBodySchema.safeParse(body);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('GenerateBodySchema prompt source', () => {
  const messages = [{ role: 'user', content: 'Hi' }];

  it('takes exactly one of prompt, messages or template', () => {
    expect(issues({ prompt: 'Hi' })).toEqual([]);
    expect(issues({ prompt: 'Hi', system: 'Be brief.' })).toEqual([]);
    expect(issues({ messages })).toEqual([]);
    expect(issues({ template: 'greet', variables: { name: 'Ada' } })).toEqual([]);
    expect(issues({ template: 'greet' })).toEqual([]);
    expect(issues({})).toEqual(['prompt: required: send prompt, messages or template']);
    expect(issues({ prompt: 'Hi', messages })).toEqual(['messages: send only one of prompt, messages']);
    expect(issues({ prompt: 'Hi', messages, template: 'greet' })).toEqual([
      'messages: send only one of prompt, messages, template',
      'template: send only one of prompt, messages, template',
    ]);
  });

  it('takes variables only with a template, and no system prompt with one', () => {
    expect(issues({ prompt: 'Hi', variables: { name: 'Ada' } })).toEqual([
      'variables: only used with template',
    ]);
    expect(issues({ messages, variables: {} })).toEqual(['variables: only used with template']);
    expect(issues({ template: 'greet', system: 'Be brief.' })).toEqual([
      'system: the template provides the system prompt',
    ]);
    expect(issues({ variables: {} })).toEqual([
      'prompt: required: send prompt, messages or template',
      'variables: only used with template',
    ]);
  });
});
