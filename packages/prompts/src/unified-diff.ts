type Edit = { kind: ' ' | '-' | '+'; line: string };

/**
 * A unified diff (`diff -u` style, 3 lines of context) between two texts, line by line, using
 * Myers' shortest-edit-script algorithm. Returns an empty string when the texts are equal.
 *
 * @example
 * unifiedDiff('a\nb\n', 'a\nc\n', { from: 'x@1.0.0', to: 'x@1.1.0' });
 * // '--- x@1.0.0\n+++ x@1.1.0\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n'
 */
export function unifiedDiff(
  before: string,
  after: string,
  labels: { from: string; to: string },
  context = 3,
): string {
  if (before === after) return '';
  const edits = diffLines(splitLines(before), splitLines(after));
  const hunks: string[] = [];
  let index = 0;
  while (index < edits.length) {
    while (index < edits.length && edits[index]!.kind === ' ') index++;
    if (index >= edits.length) break;
    const start = Math.max(0, index - context);
    let end = index;
    // Extend the hunk while changes are closer than two contexts apart.
    for (let cursor = index; cursor < edits.length; cursor++) {
      if (edits[cursor]!.kind !== ' ') end = cursor;
      else if (cursor - end > 2 * context) break;
    }
    end = Math.min(edits.length, end + context + 1);
    hunks.push(formatHunk(edits, start, end));
    index = end;
  }
  return `--- ${labels.from}\n+++ ${labels.to}\n${hunks.join('')}`;
}

function formatHunk(edits: Edit[], start: number, end: number): string {
  let oldLine = 1;
  let newLine = 1;
  for (let index = 0; index < start; index++) {
    if (edits[index]!.kind !== '+') oldLine++;
    if (edits[index]!.kind !== '-') newLine++;
  }
  const slice = edits.slice(start, end);
  const oldCount = slice.filter((edit) => edit.kind !== '+').length;
  const newCount = slice.filter((edit) => edit.kind !== '-').length;
  const range = (line: number, count: number) => (count === 0 ? `${line - 1},0` : `${line},${count}`);
  const body = slice.map((edit) => `${edit.kind}${edit.line}\n`).join('');
  return `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n${body}`;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Myers' O((N+M)·D) diff: the edit script turning `a` into `b`. */
function diffLines(a: string[], b: string[]): Edit[] {
  const max = a.length + b.length;
  const frontier: number[] = new Array(2 * max + 2).fill(0);
  const trace: number[][] = [];
  let done = false;
  for (let distance = 0; distance <= max && !done; distance++) {
    trace.push(frontier.slice());
    for (let diagonal = -distance; diagonal <= distance; diagonal += 2) {
      const down =
        diagonal === -distance ||
        (diagonal !== distance && frontier[max + diagonal - 1]! < frontier[max + diagonal + 1]!);
      let x = down ? frontier[max + diagonal + 1]! : frontier[max + diagonal - 1]! + 1;
      let y = x - diagonal;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      frontier[max + diagonal] = x;
      if (x >= a.length && y >= b.length) {
        done = true;
        break;
      }
    }
  }
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let distance = trace.length - 1; distance >= 0; distance--) {
    const previous = trace[distance]!;
    const diagonal = x - y;
    const down =
      diagonal === -distance ||
      (diagonal !== distance && previous[max + diagonal - 1]! < previous[max + diagonal + 1]!);
    const previousDiagonal = down ? diagonal + 1 : diagonal - 1;
    const previousX = previous[max + previousDiagonal]!;
    const previousY = previousX - previousDiagonal;
    while (x > previousX && y > previousY) {
      edits.push({ kind: ' ', line: a[--x]! });
      y--;
    }
    if (distance > 0) {
      if (down) edits.push({ kind: '+', line: b[--y]! });
      else edits.push({ kind: '-', line: a[--x]! });
    }
  }
  return edits.reverse();
}
