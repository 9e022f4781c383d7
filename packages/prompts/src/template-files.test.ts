import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTemplateFiles, parseTemplateFileName, parseTemplateRef } from './template-files.ts';

describe('template files', () => {
  it('reads names, pinned versions and skips what is not a template', () => {
    expect(parseTemplateFileName('legal_analysis.txt', '/p')).toEqual({
      name: 'legal_analysis',
      file: '/p/legal_analysis.txt',
    });
    expect(parseTemplateFileName('x@1.2.0.md', '/p')).toEqual({
      name: 'x',
      file: '/p/x@1.2.0.md',
      pinnedVersion: '1.2.0',
    });
    for (const skipped of ['x.json', '_partial.njk', '.hidden.txt', 'README.md', 'x@latest.txt', 'a b.txt']) {
      expect(parseTemplateFileName(skipped, '/p'), skipped).toBeUndefined();
    }
  });

  it('lists the top-level template files only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reins-files-'));
    mkdirSync(join(dir, 'partials'));
    for (const name of [
      'b.txt',
      'a.njk',
      'a@0.1.0.njk',
      '_footer.txt',
      'notes.json',
      'partials/p.txt',
      'README.md',
    ]) {
      writeFileSync(join(dir, name), 'x');
    }
    expect(listTemplateFiles(dir).map((entry) => [entry.name, entry.pinnedVersion])).toEqual([
      ['a', undefined],
      ['a', '0.1.0'],
      ['b', undefined],
    ]);
  });

  it('splits refs', () => {
    expect(parseTemplateRef('legal_analysis')).toEqual({ name: 'legal_analysis' });
    expect(parseTemplateRef('legal_analysis@1.0.0')).toEqual({ name: 'legal_analysis', version: '1.0.0' });
  });
});
