import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { RuntimeOptions } from '../../src/runtime.ts';
import { createTestDeps, type TestDeps } from '../../src/testing/create-test-deps.ts';

export const ALICE_KEY = 'alice-key-0123456789abcdef';
export const BOB_KEY = 'bob-key-0123456789abcdef01';
/** Two keys, so every suite can check isolation. */
export const TWO_KEYS = { REINS_API_KEYS: `alice:${ALICE_KEY},bob:${BOB_KEY}` };

/**
 * One app per test on the test deps, closed after each test. `as(key)` injects with that key.
 *
 * @example
 * const harness = useTestApp();
 * const { app } = await harness.start();
 * const response = await app.inject({ method: 'GET', url: '/health' });
 */
export function useTestApp() {
  let current: { app: FastifyInstance; deps: TestDeps } | undefined;
  afterEach(async () => {
    await current?.app.close();
    await current?.deps.close();
    current = undefined;
  });
  return {
    async start(options: { env?: Record<string, string>; runtime?: RuntimeOptions } = {}) {
      const deps = await createTestDeps({ env: { ...TWO_KEYS, ...options.env }, runtime: options.runtime });
      const app = await createApp(deps);
      current = { app, deps };
      const as = (key: string) => (request: InjectOptions) =>
        app.inject({ ...request, headers: { authorization: `Bearer ${key}`, ...request.headers } });
      return { app, deps, alice: as(ALICE_KEY), bob: as(BOB_KEY) };
    },
  };
}
