import { createHash } from 'node:crypto';
import type { GitFileState } from './git-inspector.ts';

/**
 * The identity of the exact template text behind a prompt; it flows into call metadata
 * (`metadata.template`) and from there into every log line and call-log row.
 * - `version`: the semver from front matter (`0.0.0` when the file declares none);
 * - `hash`: SHA-256 (hex) of the file's bytes, front matter included;
 * - `gitCommit`: the last commit that changed the file, suffixed `+dirty` when the working copy
 *   differs from it; absent outside a git work tree and for files never committed;
 * - `dirty`: true when the text is not what `gitCommit` (if any) holds.
 */
export type TemplateVersion = {
  name: string;
  version: string;
  hash: string;
  gitCommit?: string;
  dirty?: boolean;
};

/**
 * The version a template has when its front matter declares none.
 *
 * @example
 * registry.get('plain').version === UNVERSIONED; // no `version:` in its front matter
 */
export const UNVERSIONED = '0.0.0';

/**
 * SHA-256 of a template file's content, as lowercase hex.
 *
 * @example
 * hashTemplate('Hello {{ name }}'); // '5c6f…'
 */
export function hashTemplate(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Puts together a {@link TemplateVersion} from its parts, leaving out what is unknown.
 *
 * @example
 * templateVersion('legal_analysis', '1.2.0', hash, { gitCommit: '3f2a…' });
 */
export function templateVersion(
  name: string,
  version: string,
  hash: string,
  git: GitFileState,
): TemplateVersion {
  const identity: TemplateVersion = { name, version, hash };
  if (git.gitCommit !== undefined) identity.gitCommit = git.gitCommit;
  if (git.dirty === true) identity.dirty = true;
  return identity;
}
