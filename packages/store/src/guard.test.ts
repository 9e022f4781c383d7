import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTextGuard } from './guard.ts';

const png = Buffer.alloc(4000, 9).toString('base64');

describe('createTextGuard', () => {
  it('redacts API-key patterns, configured secrets, and the env keys', () => {
    const guard = createTextGuard(['my-webhook-token'], { OPENAI_API_KEY: 'custom-openai-key-1234' });
    expect(guard.clean('a sk-proj-ABCDEFGHIJKLMNOPQRST b')).toBe('a [REDACTED] b');
    expect(guard.clean('token my-webhook-token here')).toBe('token [REDACTED] here');
    expect(guard.clean('env custom-openai-key-1234')).toBe('env [REDACTED]');
  });

  it('matches a configured secret inside JSON text, where its quotes are escaped', () => {
    const guard = createTextGuard(['pa"ss\\word']);
    expect(guard.clean(JSON.stringify({ password: 'pa"ss\\word' }))).toBe('{"password":"[REDACTED]"}');
  });

  it('strips data URLs and long base64 runs', () => {
    const guard = createTextGuard();
    expect(guard.clean(`see data:image/png;base64,${png}`)).toMatch(
      /^see \[image image\/png 3\.9 KB sha256:[0-9a-f]{8}\]$/,
    );
    expect(guard.clean(`blob ${png}`)).toMatch(/^blob \[image application\/octet-stream/);
  });

  it('isClean is false for inline images and for anything clean would change', () => {
    const guard = createTextGuard(['hunter22']);
    expect(guard.isClean({ messages: [{ role: 'user', content: 'hello' }] })).toBe(true);
    expect(guard.isClean([{ type: 'image', mediaType: 'image/png', data: 'AAAA' }])).toBe(false);
    expect(guard.isClean({ deep: [{ value: 'pw hunter22' }] })).toBe(false);
    expect(guard.isClean({ url: `data:image/png;base64,${png}` })).toBe(false);
  });

  it('cleanRow equals cleaning each string on its own (the combined fast path is exact)', () => {
    const guard = createTextGuard(['s3cr3t-value']);
    const pieces = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'sk-proj-ABCDEFGHIJKLMNOPQRSTUV',
        's3cr3t-value',
        'Bearer abcdefghijklmnopqrstu',
        `data:image/png;base64,${png.slice(0, 800)}`,
        png.slice(0, 700),
        'x-api-key: abcdefghij',
      ),
    );
    const text = fc.array(pieces, { maxLength: 4 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.oneof(text, fc.integer(), fc.constant(null))),
        (row) => {
          const expected = Object.fromEntries(
            Object.entries(row).map(([key, value]) => [
              key,
              typeof value === 'string' ? guard.clean(value) : value,
            ]),
          );
          expect(guard.cleanRow({ ...row })).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
