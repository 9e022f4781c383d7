import type { GroupReport } from './summarize-results.ts';

/**
 * A plain-text table of group reports for a terminal: one line per model × prompt version with
 * rows, errors, the primary scorer's mean, pass rate and 1–5 distribution, tokens, cost (model,
 * then judge), and latency p50/p95.
 *
 * @example
 * console.log(formatReportTable(await summarizeResults(results)));
 */
export function formatReportTable(reports: readonly GroupReport[]): string {
  const header = [
    'model',
    'prompt',
    'rows',
    'errors',
    'score',
    'pass',
    '1/2/3/4/5',
    'tokens in/out',
    'cost $',
    'judge $',
    'p50 ms',
    'p95 ms',
  ];
  const lines = reports.map((report) => {
    const primary = report.scores[0];
    return [
      report.model,
      report.promptVersion,
      String(report.rows),
      String(report.errors + report.scoreErrors),
      primary?.mean == null
        ? '-'
        : primary.scale === 'unit'
          ? primary.mean.toFixed(3)
          : primary.mean.toFixed(2),
      primary?.passRate == null ? '-' : `${(primary.passRate * 100).toFixed(0)}%`,
      primary === undefined ? '-' : primary.distribution.join('/'),
      `${report.inputTokens}/${report.outputTokens}`,
      report.costUsd.toFixed(4),
      report.judgeCostUsd.toFixed(4),
      report.latencyP50Ms === null ? '-' : String(Math.round(report.latencyP50Ms)),
      report.latencyP95Ms === null ? '-' : String(Math.round(report.latencyP95Ms)),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  const numeric = new Set([2, 3, 4, 5, 7, 8, 9, 10, 11]);
  const render = (cells: string[]) =>
    cells
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(render)].join(
    '\n',
  );
}
