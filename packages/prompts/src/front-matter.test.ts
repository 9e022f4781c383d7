import { describe, expect, it } from 'vitest';
import { TemplateSyntaxError } from './errors.ts';
import { parseFrontMatter } from './front-matter.ts';

const syntaxError = (text: string): TemplateSyntaxError => {
  try {
    parseFrontMatter(text, '/p/t.txt', 'prompts/t.txt');
  } catch (error) {
    expect(TemplateSyntaxError.isInstance(error)).toBe(true);
    return error as TemplateSyntaxError;
  }
  throw new Error('expected a TemplateSyntaxError');
};

describe('parseFrontMatter', () => {
  it('splits validated front matter from the body and says where the body starts', () => {
    const text = [
      '---',
      'version: 1.2.0',
      'description: Says hello',
      'model: openai/gpt-5.6-luna',
      'params:',
      '  temperature: 0.3',
      '  maxTokens: 200',
      'variables:',
      '  name: Who to greet',
      '  greeting:',
      '    description: The word',
      '    default: Hello',
      '  title:',
      '    required: false',
      '  bare:',
      '---',
      '{{ greeting }} {{ name }}',
    ].join('\n');
    const { frontMatter, body, bodyLine } = parseFrontMatter(text, 't.txt');
    expect(frontMatter).toEqual({
      version: '1.2.0',
      description: 'Says hello',
      model: 'openai/gpt-5.6-luna',
      params: { temperature: 0.3, maxTokens: 200 },
      variables: {
        name: { description: 'Who to greet' },
        greeting: { description: 'The word', default: 'Hello' },
        title: { required: false },
        bare: {},
      },
    });
    expect(body).toBe('{{ greeting }} {{ name }}');
    expect(bodyLine).toBe(17);
  });

  it('treats a file without a leading --- line as all body', () => {
    expect(parseFrontMatter('Hello {{ name }}\n---\n', 't.txt')).toEqual({
      frontMatter: {},
      body: 'Hello {{ name }}\n---\n',
      bodyLine: 1,
    });
  });

  it('accepts CRLF line endings, a BOM, an empty block and a list of variable names', () => {
    expect(parseFrontMatter('\uFEFF---\r\n---\r\nHi', 't.txt')).toMatchObject({
      frontMatter: {},
      bodyLine: 3,
    });
    const { frontMatter } = parseFrontMatter(
      '---\r\nversion: 2.0.0-rc.1\r\nvariables: [a, b]\r\n---\r\nx',
      't.txt',
    );
    expect(frontMatter).toEqual({ version: '2.0.0-rc.1', variables: { a: {}, b: {} } });
  });

  it('reports invalid YAML with the file and the line in the file', () => {
    const error = syntaxError('---\nversion: 1.0.0\ndescription: [unclosed\n---\nbody');
    expect(error.file).toBe('/p/t.txt');
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/^prompts\/t\.txt:\d+: invalid YAML in front matter/);
  });

  it('reports a bad semver on its line', () => {
    const error = syntaxError('---\ndescription: x\nversion: 1.2\n---\nbody');
    expect(error.line).toBe(3);
    expect(error.message).toContain("invalid 'version': version must be a semver string such as 1.2.0");
    expect(syntaxError('---\nversion: "v1.0.0"\n---\n').line).toBe(2);
    expect(syntaxError('---\nversion: 01.0.0\n---\n').message).toContain('semver');
  });

  it('refuses unknown fields (typos) on their line', () => {
    const error = syntaxError('---\nversion: 1.0.0\nparams:\n  temprature: 0.2\n---\n');
    expect(error.line).toBe(4);
    expect(error.message).toContain("unknown field 'temprature'");
  });

  it('validates model names, params and variable names', () => {
    expect(syntaxError('---\nmodel: gpt-4o\n---\n').message).toContain('provider/model');
    expect(syntaxError('---\nparams:\n  maxTokens: -5\n---\n').line).toBe(3);
    expect(syntaxError('---\nparams:\n  temperature: hot\n---\n').message).toContain("'params.temperature'");
    expect(syntaxError('---\nvariables:\n  bad-name: x\n---\n').message).toContain('variable names');
    expect(syntaxError('---\nvariables:\n  x:\n    required: maybe\n---\n').line).toBe(4);
  });

  it('refuses front matter that is not a mapping or never closes', () => {
    expect(syntaxError('---\n- a\n- b\n---\n').message).toContain('must be a YAML mapping');
    const unclosed = syntaxError('---\nversion: 1.0.0\nHello');
    expect(unclosed.line).toBe(1);
    expect(unclosed.message).toContain('never closed');
  });
});
