import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHoldBase64, replaceBase64, stripBase64FromText } from './strip-images.ts';

describe('mayHoldBase64', () => {
  it('finds a run of exactly 64 base64 characters wherever it starts, and not one of 63', () => {
    for (let offset = 0; offset < 200; offset++) {
      const prefix = ' '.repeat(offset);
      expect(mayHoldBase64(`${prefix}${'Q'.repeat(64)} end`), `offset ${offset}`).toBe(true);
      expect(mayHoldBase64(`${prefix}${'Q'.repeat(63)} end ${'words '.repeat(20)}`), `offset ${offset}`).toBe(
        false,
      );
    }
  });

  it('finds data: in any case', () => {
    const prose = 'plain words, no images here. '.repeat(4);
    expect(mayHoldBase64(prose)).toBe(false);
    expect(mayHoldBase64(`${prose}DaTa:x`)).toBe(true);
    expect(mayHoldBase64(`data:${prose}`)).toBe(true);
  });

  it('is never false when the replacement would change the text', () => {
    const alphabet = fc.constantFrom(
      ...'ABCxyz019+/=:;,- \n'.split(''),
      'data:',
      'DATA:',
      'image/png;base64,',
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 900 }),
        fc.integer({ min: 0, max: 700 }),
        fc.array(alphabet, { maxLength: 200 }),
        (before, run, after) => {
          const text = before.join('') + 'Q'.repeat(run) + after.join('');
          if (!mayHoldBase64(text)) expect(replaceBase64(text)).toBe(text);
          expect(stripBase64FromText(text)).toBe(text.length < 64 ? text : replaceBase64(text));
        },
      ),
      { numRuns: 500 },
    );
  });
});
