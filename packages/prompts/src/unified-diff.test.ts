import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './unified-diff.ts';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { from: 'x', to: 'y' })).toBe('');
  });

  it('writes hunks like diff -u', () => {
    const before = Array.from({ length: 30 }, (_, index) => `line ${index}`);
    const after = before.slice();
    after[2] = 'changed 2';
    after.splice(20, 1);
    after.push('new end');
    const patch = unifiedDiff(`${before.join('\n')}\n`, `${after.join('\n')}\n`, { from: 'a', to: 'b' });
    expect(patch).toBe(
      [
        '--- a',
        '+++ b',
        '@@ -1,6 +1,6 @@',
        ' line 0',
        ' line 1',
        '-line 2',
        '+changed 2',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -18,7 +18,6 @@',
        ' line 17',
        ' line 18',
        ' line 19',
        '-line 20',
        ' line 21',
        ' line 22',
        ' line 23',
        '@@ -28,3 +27,4 @@',
        ' line 27',
        ' line 28',
        ' line 29',
        '+new end',
        '',
      ].join('\n'),
    );
  });

  it('handles texts that are empty on one side', () => {
    expect(unifiedDiff('', 'x\n', { from: 'a', to: 'b' })).toBe('--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n');
    expect(unifiedDiff('x\ny\n', '', { from: 'a', to: 'b' })).toBe('--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n');
  });
});
