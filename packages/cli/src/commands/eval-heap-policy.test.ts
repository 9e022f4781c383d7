import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyEvalHeapPolicy, EVAL_RUN_V8_FLAGS } from './eval-heap-policy.ts';

const directory = mkdtempSync(join(tmpdir(), 'reins-heap-policy-'));
const script = join(directory, 'probe.ts');
writeFileSync(
  script,
  `import { getCompileCacheDir } from 'node:module';
import { applyEvalHeapPolicy } from ${JSON.stringify(new URL('./eval-heap-policy.ts', import.meta.url).pathname)};
applyEvalHeapPolicy();
console.log(JSON.stringify({ execArgv: process.execArgv, arena: process.env.MALLOC_ARENA_MAX ?? null, argv: process.argv.slice(2), compileCache: getCompileCacheDir() ?? null }));
`,
);

function probe(env: NodeJS.ProcessEnv, nodeArgs: string[] = []) {
  const child = spawnSync(process.execPath, [...nodeArgs, script, 'eval', 'run'], {
    env: {
      ...process.env,
      REINS_HEAP_POLICY: undefined,
      NODE_OPTIONS: undefined,
      MALLOC_ARENA_MAX: undefined,
      NODE_COMPILE_CACHE: undefined,
      ...env,
    },
    encoding: 'utf8',
  });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as {
    execArgv: string[];
    arena: string | null;
    argv: string[];
    compileCache: string | null;
  };
}

describe('the eval run heap policy', () => {
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('re-executes the same command in place with the heap flags and a malloc arena bound', () => {
    const outcome = probe({});
    expect(outcome.execArgv).toEqual(EVAL_RUN_V8_FLAGS);
    expect(outcome.arena).toBe('2');
    expect(outcome.argv).toEqual(['eval', 'run']);
  });

  it("turns on Node's compile cache in its default place, or the user's", () => {
    expect(probe({}).compileCache).toContain(join(tmpdir(), 'node-compile-cache'));
    const own = join(directory, 'cache');
    expect(probe({ NODE_COMPILE_CACHE: own }).compileCache).toContain(own);
    expect(probe({ REINS_HEAP_POLICY: 'off' }).compileCache).toBeNull();
  });

  it("leaves the user's own heap flags, and REINS_HEAP_POLICY=off, alone", () => {
    expect(probe({ REINS_HEAP_POLICY: 'off' }).execArgv).toEqual([]);
    expect(probe({ NODE_OPTIONS: '--max-old-space-size=512' }).execArgv).toEqual([]);
    expect(probe({}, ['--max-semi-space-size=2']).execArgv).toEqual(['--max-semi-space-size=2']);
  });

  it('does nothing once applied', () => {
    expect(() => applyEvalHeapPolicy({ REINS_HEAP_POLICY: 'applied' }, [])).not.toThrow();
  });
});
