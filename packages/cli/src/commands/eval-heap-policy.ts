import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * V8's default heap sizing for a long `reins eval run`, and why it is changed.
 *
 * A run streams its rows and writes each result as it is graded, so what it keeps live is
 * small and flat (~60 MB: the loaded code plus the cells in flight). Node's defaults size the
 * heap for throughput on a big machine instead: the young generation grows to 2 × 64 MB
 * semi-spaces, and the old generation may grow to several times the live size before a full GC,
 * so the peak resident memory follows the allocation rate of the SDK calls (815 MB for 30,000
 * cells in bench/evals.ts) rather than what the run holds. For `eval run` only, the process
 * re-executes itself in place (`process.execve`: same pid, no second process) with
 *
 * - `--max-semi-space-size=8`: a 16 MB young generation; scavenges stay cheap, and a call's
 *   objects (in flight for ~1 s) still mostly die young;
 * - `--heap-growing-percent=50`: a full GC once the old generation is 1.5 × what survived the
 *   last one. A factor, not a cap: a run that really holds more gets more, never an
 *   out-of-memory crash;
 * - `MALLOC_ARENA_MAX=2` (glibc): V8's helper threads (and a store's worker threads, where a
 *   store uses them) otherwise each get a 64 MB malloc arena, of which tens of MB stay resident;
 * - `NODE_COMPILE_CACHE` (Node's module compile cache, in its default place under the temp
 *   directory): from the second run on, modules load from cached code and our `.ts` files from
 *   their cached stripped form, so no thread starts
 *   the TypeScript type stripper (~15 MB of resident memory per thread that does) or parse
 *   every module again. A user's own `NODE_COMPILE_CACHE` (or `NODE_DISABLE_COMPILE_CACHE=1`)
 *   wins.
 *
 * Heap flags of the user's own (`NODE_OPTIONS` or node's arguments) win; `REINS_HEAP_POLICY=off`
 * keeps Node's defaults. Where `process.execve` does not exist (Windows), nothing changes.
 */
export const EVAL_RUN_V8_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'];

const HEAP_FLAG = /^--(max-semi-space-size|max-old-space-size|max-heap-size|heap-growing-percent)\b/;

/**
 * Re-executes `reins eval run …` with `EVAL_RUN_V8_FLAGS` unless already done, disabled, or the
 * user chose heap flags. Returns only when it does not re-execute.
 *
 * @example
 * if (command === 'eval' && rest[0] === 'run') applyEvalHeapPolicy();
 */
export function applyEvalHeapPolicy(
  env: NodeJS.ProcessEnv = process.env,
  execArgv: readonly string[] = process.execArgv,
): void {
  const policy = env['REINS_HEAP_POLICY'];
  if (policy === 'off' || policy === 'applied') return;
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never })
    .execve;
  if (typeof execve !== 'function') return;
  const own = [...execArgv, ...(env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  if (own.some((flag) => HEAP_FLAG.test(flag))) return;
  execve.call(
    process,
    process.execPath,
    [process.execPath, ...EVAL_RUN_V8_FLAGS, ...execArgv, ...process.argv.slice(1)],
    {
      ...env,
      REINS_HEAP_POLICY: 'applied',
      MALLOC_ARENA_MAX: env['MALLOC_ARENA_MAX'] ?? '2',
      NODE_COMPILE_CACHE: env['NODE_COMPILE_CACHE'] ?? join(tmpdir(), 'node-compile-cache'),
    },
  );
}
