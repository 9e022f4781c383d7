import { describe, expect, it } from 'vitest';
import { corruptJson, violateSchema } from './corrupt-output.ts';
import { splitPieces } from './split-pieces.ts';

describe('splitPieces', () => {
  it('splits into word-sized pieces that join back to the text', () => {
    for (const text of [
      'Hello there, world.',
      '{"a":"bcdefghijklmnopqrstuvwxyz","n":12345678901234}',
      '  lead and trail  ',
      'emoji 😀😀😀😀😀😀😀😀😀😀😀😀😀 ok',
      '',
    ]) {
      const pieces = splitPieces(text);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces) expect(piece.trim().length).toBeLessThanOrEqual(24);
    }
    expect(splitPieces('Hello there')).toEqual(['Hello', ' there']);
  });
});

describe('corrupt output', () => {
  it('corruptJson never parses', () => {
    for (const json of ['{"a":1}', '42', '"text"', '[1,2,3]', 'true', '{}'])
      expect(() => JSON.parse(corruptJson(json))).toThrow();
  });

  it('violateSchema drops a required field and breaks a type', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
      required: ['a'],
      additionalProperties: false,
    };
    expect(violateSchema(schema, { a: 'x', b: 1 })).toEqual({ b: 'not-a-number', unexpected_field: true });
    expect(violateSchema({ type: 'object' }, {})).toEqual([{ unexpected_field: true }]);
  });
});
