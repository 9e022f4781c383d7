import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.ts';
import type { AppDeps } from '../deps.ts';
import type { RuntimeOptions } from '../runtime.ts';
import { createServerDeps, type ServerDeps } from '../server-deps.ts';

/** The example templates at the repository root. */
export const EXAMPLE_PROMPTS_DIR = fileURLToPath(new URL('../../../../prompts', import.meta.url));

export type TestDeps = AppDeps & { server: ServerDeps; close(): Promise<void> };

/**
 * The production wiring on test defaults: SQLite in memory, the in-process queue, the simulator
 * (instant) as both providers, the example templates, no logs. `env` feeds the same config
 * loader production uses; `overrides` replace any dep afterwards.
 *
 * @example
 * const deps = await createTestDeps({ env: { REINS_API_KEYS: 'alice:0123456789abcdef01' } });
 * const app = await createApp(deps);
 * // …
 * await app.close();
 * await deps.close();
 */
export async function createTestDeps(
  options: { env?: Record<string, string>; runtime?: RuntimeOptions; overrides?: Partial<AppDeps> } = {},
): Promise<TestDeps> {
  const config = loadConfig({
    env: {
      DATABASE_URL: 'sqlite::memory:',
      REINS_SIMULATOR_PROFILE: 'instant',
      REINS_PROMPTS_DIR: EXAMPLE_PROMPTS_DIR,
      REINS_SHUTDOWN_GRACE_MS: '0',
      ...options.env,
    },
    dotenvDir: false,
  });
  const server = await createServerDeps(config, options.runtime);
  return { ...server.deps, ...options.overrides, server, close: () => server.close() };
}
