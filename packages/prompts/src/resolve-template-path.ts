import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { TemplateSandboxError } from './errors.ts';
import { TEMPLATE_EXTENSIONS } from './template-files.ts';

/**
 * Where `{% include name %}` (or extends/import) points: a file inside `dir`, or `undefined` when
 * there is no such file. Names are relative to `dir`, or to the including file when they start
 * with `./` or `../`; the extension may be left out. Anything that lands outside `dir`, by `..`,
 * an absolute path or a symbolic link, is refused with a {@link TemplateSandboxError}.
 *
 * @example
 * resolveTemplatePath('/app/prompts', 'partials/disclaimer'); // '/app/prompts/partials/disclaimer.txt'
 */
export function resolveTemplatePath(dir: string, name: string, fromFile?: string): string | undefined {
  if (typeof name !== 'string' || name === '' || name.includes('\0')) {
    throw new TemplateSandboxError(`invalid template name ${JSON.stringify(name)}`);
  }
  const root = resolve(dir);
  const relativeToParent = fromFile !== undefined && (name.startsWith('./') || name.startsWith('../'));
  const candidate = resolve(relativeToParent ? dirname(fromFile) : root, name);
  if (!isInside(root, candidate)) {
    throw new TemplateSandboxError(
      `'${name}' is outside the prompts directory; templates may only include files inside it`,
    );
  }
  const found = [candidate, ...TEMPLATE_EXTENSIONS.map((extension) => candidate + extension)].find(isFile);
  if (found === undefined) return undefined;
  if (!isInside(realpathSync(root), realpathSync(found))) {
    throw new TemplateSandboxError(`'${name}' links outside the prompts directory; refused`);
  }
  return found;
}

function isInside(root: string, candidate: string): boolean {
  const path = relative(root, candidate);
  return path !== '' && path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
