import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backends } from './helpers/backends.ts';

/** How many of pg's modules a fresh process loaded after opening `url` (see the fixture). */
function pgModulesLoaded(url: string): number {
  const fixture = join(import.meta.dirname, 'fixtures', 'loaded-pg-modules.ts');
  const result = spawnSync(process.execPath, [fixture, url], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`fixture failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { pgModules: number }).pgModules;
}

// `reins eval run` and the default server open SQLite; pg's modules are memory they never use.
describe.each(backends())('pg on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it('is loaded only when the store is PostgreSQL', () => {
    const loaded = pgModulesLoaded(backend.freshUrl());
    if (backend.name === 'postgres')
      expect(loaded).toBeGreaterThan(0); // so the SQLite checks can fail
    else expect(loaded).toBe(0);
  });
});
