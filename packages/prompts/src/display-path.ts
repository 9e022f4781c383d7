import { isAbsolute, relative, sep } from 'node:path';

/**
 * A file path as people read it in messages: relative to the working directory when inside it.
 *
 * @example
 * displayPath('/work/app/prompts/a.txt'); // 'prompts/a.txt' when run from /work/app
 */
export function displayPath(file: string): string {
  const fromHere = relative(process.cwd(), file);
  return fromHere !== '' && fromHere !== '..' && !fromHere.startsWith(`..${sep}`) && !isAbsolute(fromHere)
    ? fromHere
    : file;
}
