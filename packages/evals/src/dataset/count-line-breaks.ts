/** Line breaks in `text`, counting `\r\n`, `\n` and a lone `\r` as one each. */
export function countLineBreaks(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) count++;
    else if (code === 13) {
      count++;
      if (text.charCodeAt(index + 1) === 10) index++;
    }
  }
  return count;
}

/** Line breaks before the first character that is not one (blank lines a CSV reader skipped). */
export function countLeadingLineBreaks(text: string): number {
  const match = /^[\r\n]*/.exec(text);
  return match === null ? 0 : countLineBreaks(match[0]);
}
