import { describe, expect, it } from 'vitest';
import { createMemoryBreakerStore, DEFAULT_BREAKER } from './breaker-store.ts';

const config = {
  ...DEFAULT_BREAKER,
  failureThreshold: 3,
  cooldownMs: 1_000,
  minimumRequests: 10,
  windowMs: 10_000,
};

describe('createMemoryBreakerStore', () => {
  it('opens after consecutive failures, fails fast, lets one probe through after the cooldown', () => {
    const store = createMemoryBreakerStore();
    for (let index = 0; index < 2; index++) expect(store.onFailure('m', 0, config, false)).toBeUndefined();
    expect(store.onFailure('m', 0, config, false)).toEqual({ from: 'closed', to: 'open' });
    expect(store.acquire('m', 500, config)).toEqual({ allowed: false, retryInMs: 500 });
    expect(store.acquire('m', 1_000, config)).toEqual({ allowed: true, probe: true });
    // Only one probe at a time.
    expect(store.acquire('m', 1_001, config)).toMatchObject({ allowed: false });
    expect(store.onSuccess('m', 1_010, config, true)).toEqual({ from: 'half-open', to: 'closed' });
    expect(store.acquire('m', 1_011, config)).toEqual({ allowed: true, probe: false });
  });

  it('a failed probe opens it again; a success resets the consecutive count', () => {
    const store = createMemoryBreakerStore();
    store.onFailure('m', 0, config, false);
    store.onFailure('m', 0, config, false);
    store.onSuccess('m', 0, config, false);
    expect(store.onFailure('m', 0, config, false)).toBeUndefined();
    store.onFailure('m', 0, config, false);
    store.onFailure('m', 0, config, false);
    expect(store.acquire('m', 1_000, config)).toEqual({ allowed: true, probe: true });
    expect(store.onFailure('m', 1_000, config, true)).toEqual({ from: 'half-open', to: 'open' });
    expect(store.acquire('m', 1_500, config)).toMatchObject({ allowed: false });
  });

  it('opens on the failure rate over the window, never on old outcomes', () => {
    const store = createMemoryBreakerStore();
    // Alternate: never 3 in a row, but 50% of 10.
    for (let index = 0; index < 9; index++) {
      if (index % 2 === 0) store.onFailure('m', index, config, false);
      else store.onSuccess('m', index, config, false);
    }
    expect(store.onSuccess('m', 9, config, false)).toBeUndefined();
    expect(store.onFailure('m', 10, config, false)).toEqual({ from: 'closed', to: 'open' });
    const fresh = createMemoryBreakerStore();
    for (let index = 0; index < 10; index++) {
      if (index % 2 === 0) fresh.onFailure('m', index, config, false);
      else fresh.onSuccess('m', index, config, false);
    }
    // Twenty seconds later the window has forgotten them.
    expect(fresh.onFailure('m', 20_000, config, false)).toBeUndefined();
    expect((fresh.status(20_000, config) as Record<string, unknown>)['m']).toMatchObject({
      state: 'closed',
      windowRequests: 1,
    });
  });
});
