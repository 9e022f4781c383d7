import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.ts';

describe('createCircuitBreaker', () => {
  it('logs every state change and reports it in status()', async () => {
    let clock = 0;
    const lines: Array<Record<string, unknown>> = [];
    const capture = (fields: object) => lines.push(fields as Record<string, unknown>);
    const breaker = createCircuitBreaker({ failureThreshold: 2, cooldownMs: 100 }, () => clock, {
      info: capture,
      warn: capture,
      error: capture,
      debug: capture,
    });
    breaker.onFailure('m', false);
    breaker.onFailure('m', false);
    expect(await breaker.status()).toMatchObject({ m: { state: 'open', retryInMs: 100 } });
    expect(breaker.acquire('m')).toEqual({ allowed: false, retryInMs: 100 });
    clock = 100;
    expect(breaker.acquire('m')).toEqual({ allowed: true, probe: true });
    breaker.onSuccess('m', true);
    expect(lines.map((line) => [line['event'], line['from'], line['to']])).toEqual([
      ['reins.breaker', 'closed', 'open'],
      ['reins.breaker', 'open', 'half-open'],
      ['reins.breaker', 'half-open', 'closed'],
    ]);
    expect(await breaker.status()).toMatchObject({ m: { state: 'closed', consecutiveFailures: 0 } });
  });

  it('fails open when an async store rejects, and logs it', async () => {
    const errors: unknown[] = [];
    const failing = async (): Promise<never> => {
      throw new Error('redis down');
    };
    const log = () => {};
    const breaker = createCircuitBreaker(
      {
        store: {
          acquire: failing,
          onSuccess: failing,
          onFailure: failing,
          release: failing,
          status: failing,
        },
      },
      () => 0,
      { info: log, warn: log, debug: log, error: (fields: object) => errors.push(fields) },
    );
    expect(await breaker.acquire('m')).toEqual({ allowed: true, probe: false });
    breaker.onFailure('m', false);
    breaker.onSuccess('m', false);
    breaker.release('m', true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatchObject({ event: 'reins.breaker_store_error', key: 'm' });
  });
});
