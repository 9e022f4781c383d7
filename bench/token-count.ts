/**
 * o200k token counts on text not seen before: Reins' counter vs gpt-tokenizer's `countTokens`, in one process.
 *
 * The client counts every prompt before it is sent (the estimate, the budget, the limiter's
 * token charge). Eval rows and batch items are distinct texts, so the count cache does not
 * help them: this is the cost each such call pays. Each round counts the same number of
 * distinct texts (realistic contract clauses, ~1.25 KB each, a new suffix every round so no
 * cache serves them) with both counters, alternating which goes first; totals must agree.
 *
 *   node bench/token-count.ts [--texts 3000] [--rounds 5] [--root DIR]…
 *
 * `--root` also loads the counter of another checkout (a `git worktree` of an earlier commit)
 * into the same process, for a before/after in one run.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

const { values: options } = parseArgs({
  options: {
    texts: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '5' },
    root: { type: 'string', multiple: true },
  },
});
const TEXTS = Number(options.texts);
const ROUNDS = Number(options.rounds);
const here = fileURLToPath(new URL('..', import.meta.url));

type Counter = { name: string; count: (text: string) => number };
const counters: Counter[] = [{ name: 'gpt-tokenizer countTokens', count: (text) => countTokens(text) }];
for (const root of [here, ...(options.root ?? [])]) {
  const module = (await import(join(root, 'packages/client/src/tokens/count-o200k-tokens.ts'))) as {
    countO200kTokens: (text: string) => number;
  };
  counters.push({
    name: `reins countO200kTokens @ ${root === here ? 'this checkout' : root}`,
    count: module.countO200kTokens,
  });
}

function texts(round: number): string[] {
  return Array.from(
    { length: TEXTS },
    (_, index) =>
      `${index}. The supplier shall, within ${index % 60} days, deliver the item numbered ${index * 10}, keep it insured for GBP ${(index % 90) * 1000}, and give written notice of any "defect" before acting; liability is capped at the fees paid in the prior ${index % 12} months. `.repeat(
        6,
      ) + `(round ${round}, séance ${index})`,
  );
}

const micros = new Map<string, number[]>(counters.map((counter) => [counter.name, []]));
let chars = 0;
for (let round = 0; round < ROUNDS; round++) {
  const batch = texts(round);
  chars = batch.reduce((sum, text) => sum + text.length, 0) / batch.length;
  const totals = new Set<number>();
  const order = round % 2 === 0 ? counters : [...counters].reverse();
  for (const counter of order) {
    const started = performance.now();
    let total = 0;
    for (const text of batch) total += counter.count(text);
    micros.get(counter.name)!.push(((performance.now() - started) * 1000) / batch.length);
    totals.add(total);
  }
  if (totals.size !== 1) throw new Error(`counters disagree in round ${round}: ${[...totals].join(' vs ')}`);
}

console.log(
  `${new Date().toUTCString()} · Node ${process.version} · load ${loadavg()
    .map((value) => value.toFixed(2))
    .join(
      ' ',
    )} · ${TEXTS} distinct texts of ~${chars.toFixed(0)} chars per round · ${ROUNDS} rounds (the first includes warm-up and table loading)\n`,
);
console.log('| counter | µs per text, median of rounds | best round | vs gpt-tokenizer (median) |');
console.log('| --- | ---: | ---: | ---: |');
const median = (values: number[]) => [...values].sort((left, right) => left - right)[values.length >> 1]!;
const reference = median(micros.get(counters[0]!.name)!);
for (const counter of counters) {
  const values = micros.get(counter.name)!;
  console.log(
    `| ${counter.name} | ${median(values).toFixed(1)} | ${Math.min(...values).toFixed(1)} | ${(median(values) / reference).toFixed(2)}× |`,
  );
}
