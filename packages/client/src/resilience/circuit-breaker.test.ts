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
});
