/**
 * Breaker: time for a call to fail fast (CircuitOpenError) once the circuit of a provider+model is open, vs a call that reaches the provider.
 *
 * The simulator (`instant`, in this process) answers `x-sim-faults: 500`; a client with
 * `failureThreshold: 1` and retries off opens the circuit with one call. Then `--calls`
 * sequential `generate` calls (and as many `stream(...).final()`) are timed end to end from the
 * caller (request building, the pre-call estimate, the breaker, the typed error, the log line
 * with pino off). Baseline in the same run: the same call on a closed circuit that gets the
 * simulator's 500 over HTTP (no retries), and one that succeeds.
 *
 *   node bench/breaker.ts [--calls 10000]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createClient } from '@reins/client';
import { startSimulator } from '@reins/simulator';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '10000' } } });
const calls = Number(values.calls);
const simulator = await startSimulator({ port: 0 });
const model = 'openai/gpt-5.6-luna';
const make = () =>
  createClient({
    providers: { openai: { apiKey: 'sk-bench', baseURL: `${simulator.url}/v1` } },
    logger: false,
    retry: { maxRetries: 0 },
    breaker: { failureThreshold: 1, cooldownMs: 3_600_000 },
  });
const request = { model, prompt: 'Summarise the termination clause in two sentences.', maxTokens: 60 };
const failing = { ...request, headers: { 'x-sim-faults': '500;id=bench-breaker' } };

async function time(count: number, run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await run().catch(() => {});
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}
const at = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const open = make();
await open.generate(failing).catch(() => {});
const state = (await open.health()).breakers[model]?.state;
if (state !== 'open') throw new Error(`expected an open circuit, got ${state}`);
await time(1_000, () => open.generate(request)); // warm-up
const rows: Array<[string, number[]]> = [
  ['generate, circuit open (CircuitOpenError)', await time(calls, () => open.generate(request))],
  ['stream().final(), circuit open', await time(calls, () => open.stream(request).final())],
];
const closed = make();
const baselineCalls = Math.min(calls, 2_000);
rows.push([
  'generate, closed, provider answers 500',
  await time(baselineCalls, () => make().generate(failing)),
]);
rows.push([
  'generate, closed, provider answers 200',
  await time(baselineCalls, () => closed.generate(request)),
]);

console.log(
  `# breaker · ${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model} · Node ${process.version} · load ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}\n`,
);
console.log('| call | n | p50 ms | p99 ms | max ms | p99 vs open generate |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
const reference = at(rows[0]![1], 99);
for (const [name, samples] of rows) {
  console.log(
    `| ${name} | ${samples.length} | ${at(samples, 50).toFixed(3)} | ${at(samples, 99).toFixed(3)} | ${samples.at(-1)!.toFixed(3)} | ${(at(samples, 99) / reference).toFixed(1)}× |`,
  );
}
await simulator.close();
