/**
 * `npm run bench` lists the benchmarks; `npm run bench -- <name> [args]` runs one.
 * Each benchmark is a script in this folder that prints a markdown table and compares against a
 * baseline measured in the same run (see RESULTS.md for recorded tables).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benchmarks = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.startsWith('_'))
  .map((file) => file.slice(0, -3))
  .sort();

function summary(name: string): string {
  const source = readFileSync(join(here, `${name}.ts`), 'utf8');
  const match = /\/\*\*\s*\n?\s*\*?\s*([^\n]+)/.exec(source);
  return match?.[1]?.trim() ?? '';
}

const [name, ...args] = process.argv.slice(2);
if (name === undefined) {
  console.log('Benchmarks (run one with `npm run bench -- <name>`):\n');
  for (const benchmark of benchmarks) console.log(`  ${benchmark.padEnd(20)} ${summary(benchmark)}`);
} else if (!benchmarks.includes(name)) {
  console.error(`unknown benchmark '${name}'; known: ${benchmarks.join(', ')}`);
  process.exitCode = 2;
} else {
  const result = spawnSync(process.execPath, [join(here, `${name}.ts`), ...args], { stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}
