import { describe, expect, it } from 'vitest';
import { EvalsError } from '../evals-error.ts';
import { resolvePromptVersions } from './resolve-prompt-versions.ts';

const files: Record<string, { version: string; hash: string; dirty?: boolean }> = {
  contract_summary: { version: '1.1.0', hash: 'aaaaaaaa11', dirty: true },
  'contract_summary@1.0.0': { version: '1.0.0', hash: 'bbbbbbbb22' },
  'contract_summary@1.1.0': { version: '1.1.0', hash: 'cccccccc33' },
  'contract_summary@4e5f6a7': { version: '1.0.0', hash: 'dddddddd44' },
};
const prompts = { get: (ref: string) => files[ref] as never };

describe('resolvePromptVersions', () => {
  it('labels by semver, adding a short hash to an uncommitted text', () => {
    expect(resolvePromptVersions(prompts, 'contract_summary', [])).toEqual([
      { ref: 'contract_summary', label: '1.1.0+aaaaaaa', hash: 'aaaaaaaa11' },
    ]);
    expect(
      resolvePromptVersions(prompts, 'contract_summary', [
        '@1.0.0',
        'contract_summary@1.1.0',
        'contract_summary',
      ]),
    ).toEqual([
      { ref: 'contract_summary@1.0.0', label: '1.0.0', hash: 'bbbbbbbb22' },
      { ref: 'contract_summary@1.1.0', label: '1.1.0', hash: 'cccccccc33' },
      { ref: 'contract_summary', label: '1.1.0+aaaaaaa', hash: 'aaaaaaaa11' },
    ]);
  });

  it('tells apart two texts that claim the same semver', () => {
    expect(
      resolvePromptVersions(prompts, 'contract_summary', ['@1.0.0', '@4e5f6a7']).map((v) => v.label),
    ).toEqual(['1.0.0+bbbbbbb', '1.0.0+ddddddd']);
  });

  it('refuses another template’s version and a version listed twice', () => {
    expect(() => resolvePromptVersions(prompts, 'contract_summary', ['legal_analysis@1.0.0'])).toThrow(
      EvalsError,
    );
    expect(() =>
      resolvePromptVersions(prompts, 'contract_summary', ['@1.0.0', 'contract_summary@1.0.0']),
    ).toThrow(/listed twice/);
  });
});
