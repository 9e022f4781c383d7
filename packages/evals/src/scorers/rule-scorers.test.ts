import { describe, expect, it } from 'vitest';
import { EvalsError } from '../evals-error.ts';
import { containsScorer } from './contains-scorer.ts';
import { exactScorer } from './exact-scorer.ts';
import { extractJson } from './extract-json.ts';
import { jsonSchemaScorer } from './json-schema-scorer.ts';
import { firstNumber, numericScorer } from './numeric-scorer.ts';
import { regexScorer } from './regex-scorer.ts';
import type { Scorer } from './scorer.ts';

async function grade(scorer: Scorer, output: string, idealOutput = '') {
  return scorer.score({ output, idealOutput, variables: {} });
}

describe('exact', () => {
  it('ignores surrounding and repeated whitespace but not case, by default', async () => {
    expect((await grade(exactScorer(), '  Net 30\n days ', 'Net 30 days')).passed).toBe(true);
    const wrongCase = await grade(exactScorer(), 'net 30 days', 'Net 30 days');
    expect(wrongCase).toMatchObject({ scorer: 'exact', scale: 'unit', score: 0, passed: false });
    expect((await grade(exactScorer({ caseSensitive: false }), 'net 30 days', 'Net 30 days')).score).toBe(1);
    expect((await grade(exactScorer({ normalizeWhitespace: false }), 'a  b', 'a b')).passed).toBe(false);
  });
});

describe('contains', () => {
  it('scores the share of required texts found, passing only with all', async () => {
    const scorer = containsScorer({ values: ['30 days', 'Delaware', 'indemnify'] });
    const result = await grade(scorer, 'Payment within 30  days; governed by DELAWARE law.');
    expect(result.score).toBeCloseTo(2 / 3);
    expect(result.passed).toBe(false);
    expect(result.reason).toContain('"indemnify"');
  });

  it('uses ideal_output when no values are given', async () => {
    expect((await grade(containsScorer(), 'The answer is Yes.', 'yes')).passed).toBe(true);
    expect((await grade(containsScorer({ caseSensitive: true }), 'The answer is Yes.', 'yes')).passed).toBe(
      false,
    );
  });
});

describe('regex', () => {
  it('matches a fixed pattern, or the row’s ideal_output as the pattern', async () => {
    expect((await grade(regexScorer({ pattern: '^(yes|no)\\b', flags: 'i' }), 'Yes, it is.')).passed).toBe(
      true,
    );
    expect((await grade(regexScorer({ pattern: '^(yes|no)\\b' }), 'Maybe')).score).toBe(0);
    expect((await grade(regexScorer(), 'Filed on 2023-04-01', '\\d{4}-\\d{2}-\\d{2}')).passed).toBe(true);
  });

  it('is not fooled by the g flag across rows', async () => {
    const scorer = regexScorer({ pattern: 'a', flags: 'g' });
    expect((await grade(scorer, 'a')).passed).toBe(true);
    expect((await grade(scorer, 'a')).passed).toBe(true);
  });

  it('rejects an invalid pattern', async () => {
    expect(() => regexScorer({ pattern: '(' })).toThrow(EvalsError);
    await expect(async () => grade(regexScorer(), 'x', '[')).rejects.toThrow(/invalid pattern/);
  });
});

describe('json-schema', () => {
  const schema = {
    type: 'object',
    required: ['parties', 'term_months'],
    properties: { parties: { type: 'array', items: { type: 'string' } }, term_months: { type: 'integer' } },
  };

  it('finds JSON bare, fenced, or in prose', () => {
    expect(extractJson('{"a":1}')).toEqual({ a: 1 });
    expect(extractJson('Sure:\n```json\n{"a": [1, 2]}\n```\nDone.')).toEqual({ a: [1, 2] });
    expect(extractJson('The result is {"a": 2} as asked.')).toEqual({ a: 2 });
    expect(extractJson('no json here')).toBeUndefined();
  });

  it('passes valid JSON and names what is wrong otherwise', async () => {
    const scorer = jsonSchemaScorer({ schema });
    expect((await grade(scorer, '```json\n{"parties": ["A", "B"], "term_months": 12}\n```')).passed).toBe(
      true,
    );
    const wrong = await grade(scorer, '{"parties": "A and B"}');
    expect(wrong.passed).toBe(false);
    expect(wrong.reason).toContain('/parties must be array');
    expect(wrong.reason).toContain("must have required property 'term_months'");
    expect((await grade(scorer, 'I cannot help')).reason).toBe('the answer holds no JSON');
  });

  it('reads the schema from ideal_output when none is given', async () => {
    const scorer = jsonSchemaScorer();
    expect((await grade(scorer, '{"parties": [], "term_months": 1}', JSON.stringify(schema))).passed).toBe(
      true,
    );
    expect((await grade(scorer, '{"parties": []}', JSON.stringify(schema))).passed).toBe(false);
    await expect(async () => grade(scorer, '{}', 'not a schema')).rejects.toThrow(/not a JSON Schema/);
  });
});

describe('numeric', () => {
  it('reads the first number, with thousands separators, signs and exponents', () => {
    expect(firstNumber('Total: $1,250.50 due')).toBe(1250.5);
    expect(firstNumber('-3e2 units')).toBe(-300);
    expect(firstNumber('none')).toBeNull();
  });

  it('passes within an absolute or relative tolerance', async () => {
    expect((await grade(numericScorer(), 'It is 0.3', String(0.1 + 0.2))).passed).toBe(true);
    expect((await grade(numericScorer({ tolerance: 0.5 }), '10.4', '10')).passed).toBe(true);
    expect((await grade(numericScorer({ tolerance: 0.5 }), '10.6', '10')).passed).toBe(false);
    expect((await grade(numericScorer({ tolerance: 0.05, relative: true }), '$1,049', '1000')).passed).toBe(
      true,
    );
    expect((await grade(numericScorer({ tolerance: 0.05, relative: true }), '$1,051', '1000')).passed).toBe(
      false,
    );
    expect((await grade(numericScorer(), 'no idea', '3')).reason).toBe('the answer has no number');
  });

  it('cannot grade when ideal_output has no number', async () => {
    await expect(async () => grade(numericScorer(), '3', 'three')).rejects.toThrow(EvalsError);
    expect(() => numericScorer({ tolerance: -1 })).toThrow(/tolerance/);
  });
});
