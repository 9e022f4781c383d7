import type { RunComparison } from './compare-runs.ts';

/**
 * A comparison for a terminal: counts, mean scores and costs side by side, then the rows that
 * changed (regressions first), or every row with `all`.
 *
 * @example
 * console.log(formatComparison(compareRuns(a, b), { labels: ['run A', 'run B'] }));
 */
export function formatComparison(
  comparison: RunComparison,
  options: { labels?: [string, string]; all?: boolean } = {},
): string {
  const [labelA, labelB] = options.labels ?? ['A', 'B'];
  const score = (value: number | null) => (value === null ? '-' : value.toFixed(2));
  const { counts } = comparison;
  const lines = [
    `${labelA} → ${labelB} (matched by ${comparison.matchedBy})`,
    `mean score ${score(comparison.meanScoreA)} → ${score(comparison.meanScoreB)} · cost $${comparison.costUsdA.toFixed(4)} → $${comparison.costUsdB.toFixed(4)}`,
    `${counts.regression} regressions · ${counts.improvement} improvements · ${counts.unchanged} unchanged · ${counts['only-a']} only in ${labelA} · ${counts['only-b']} only in ${labelB}`,
  ];
  const order = { regression: 0, improvement: 1, 'only-a': 2, 'only-b': 3, unchanged: 4 } as const;
  const shown = comparison.rows
    .filter((row) => options.all === true || row.change !== 'unchanged')
    .sort((left, right) => order[left.change] - order[right.change] || left.row - right.row);
  if (shown.length > 0) {
    lines.push('', 'row  change       score   status       output');
    for (const row of shown) {
      const key = comparison.matchedBy === 'row' ? String(row.row) : row.key;
      const status = `${row.statusA ?? '-'}→${row.statusB ?? '-'}`;
      lines.push(
        `${key.padEnd(4)} ${row.change.padEnd(12)} ${`${score(row.scoreA)}→${score(row.scoreB)}`.padEnd(7)} ${status.padEnd(12)} ${row.outputChanged ? 'changed' : 'same'}`,
      );
    }
  }
  return lines.join('\n');
}
