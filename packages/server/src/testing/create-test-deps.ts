import { manualClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import type { AppDeps } from '../deps.ts';
import { sequentialIds } from '../ids.ts';
import { createServerMetrics } from '../metrics/server-metrics.ts';

/**
 * Deps for in-process tests: defaults from an empty environment, a manual clock, sequential
 * ids, no logs. `env` feeds the config loader, so tests exercise the same validation.
 *
 * @example
 * const app = await createApp(createTestDeps({ env: { REINS_API_KEYS: 'alice:0123456789abcdef01' } }));
 */
export function createTestDeps(overrides: Partial<AppDeps> & { env?: Record<string, string> } = {}): AppDeps {
  const { env, ...rest } = overrides;
  return {
    config: loadConfig({ env: { REINS_SIMULATOR_PROFILE: 'instant', ...env }, dotenvDir: false }),
    clock: manualClock(Date.parse('2025-06-01T12:00:00Z')),
    ids: sequentialIds('trace'),
    logger: undefined,
    metrics: createServerMetrics(),
    readiness: {},
    ...rest,
  };
}
