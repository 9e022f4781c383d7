import { describe, expect, it } from 'vitest';
import { compareSemver, SEMVER } from './semver.ts';

describe('semver', () => {
  it('accepts semver 2.0.0 and nothing else', () => {
    for (const good of [
      '0.0.0',
      '1.2.3',
      '10.20.30',
      '1.0.0-alpha.1',
      '1.0.0+build.5',
      '1.0.0-rc.1+sha.abc',
    ]) {
      expect(SEMVER.test(good), good).toBe(true);
    }
    for (const bad of ['1', '1.2', 'v1.2.3', '01.2.3', '1.2.3-', '1.2.3.4', ' 1.2.3']) {
      expect(SEMVER.test(bad), bad).toBe(false);
    }
  });

  it('orders by precedence, pre-releases before releases', () => {
    const sorted = [
      '1.10.0',
      '1.2.0',
      '1.2.0-rc.1',
      '1.2.0-alpha',
      '1.2.0-rc.10',
      '0.9.9',
      '1.2.0-rc.2',
    ].sort(compareSemver);
    expect(sorted).toEqual([
      '0.9.9',
      '1.2.0-alpha',
      '1.2.0-rc.1',
      '1.2.0-rc.2',
      '1.2.0-rc.10',
      '1.2.0',
      '1.10.0',
    ]);
    expect(compareSemver('1.0.0+a', '1.0.0+b')).toBe(0);
  });
});
