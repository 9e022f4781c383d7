import { describe, expect, it } from 'vitest';
import { createScorer } from './create-scorer.ts';
import { parseScorerSpec } from './scorer-spec.ts';
import { toFivePoint } from './to-five-point.ts';

describe('parseScorerSpec', () => {
  it('reads the CLI shorthand', () => {
    expect(parseScorerSpec('exact')).toEqual({ type: 'exact' });
    expect(parseScorerSpec('exact:ci')).toEqual({ type: 'exact', caseSensitive: false });
    expect(parseScorerSpec('regex:^a:b$')).toEqual({ type: 'regex', pattern: '^a:b$' });
    expect(parseScorerSpec('numeric:0.01')).toEqual({ type: 'numeric', tolerance: 0.01 });
    expect(parseScorerSpec('numeric:5%')).toEqual({ type: 'numeric', tolerance: 0.05, relative: true });
    expect(parseScorerSpec('similarity:0.4')).toEqual({ type: 'similarity', threshold: 0.4 });
    expect(parseScorerSpec('judge:openai/gpt-5.6-luna')).toEqual({
      type: 'judge',
      model: 'openai/gpt-5.6-luna',
    });
  });

  it('rejects unknown scorers and bad arguments', () => {
    expect(() => parseScorerSpec('bleu')).toThrow(/unknown scorer 'bleu'/);
    expect(() => parseScorerSpec('similarity:2')).toThrow(/invalid scorer/);
    expect(() => parseScorerSpec('numeric:abc')).toThrow(/invalid scorer/);
  });
});

describe('createScorer', () => {
  it('builds each rule-based scorer, and the judge only with a client and model', () => {
    for (const type of ['exact', 'contains', 'regex', 'json-schema', 'numeric', 'similarity'] as const) {
      expect(createScorer({ type }).name).toBe(type);
    }
    expect(() => createScorer({ type: 'judge' })).toThrow(/needs a client and a model/);
    const client = { structured: async () => ({}) as never };
    expect(createScorer({ type: 'judge' }, { client, defaultJudgeModel: 'm/x' }).scale).toBe('five-point');
  });
});

describe('toFivePoint', () => {
  it('maps 0–1 onto 1–5 and keeps a judge score', () => {
    expect([0, 0.1, 0.5, 0.8, 1].map((score) => toFivePoint({ scale: 'unit', score }))).toEqual([
      1, 1, 3, 4, 5,
    ]);
    expect(toFivePoint({ scale: 'five-point', score: 2 })).toBe(2);
  });
});
