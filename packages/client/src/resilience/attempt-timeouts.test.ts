import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../errors/timeout-error.ts';
import { startAttemptTimeouts } from './attempt-timeouts.ts';

const limits = { firstTokenMs: 60_000, idleMs: 30_000 };

describe('startAttemptTimeouts', () => {
  it("aborts the attempt's signal with the parent's reason", () => {
    const parent = new AbortController();
    const timeouts = startAttemptTimeouts(parent.signal, limits, 'openai/gpt-4o');
    const reason = new Error('caller went away');
    parent.abort(reason);
    expect(timeouts.signal.aborted).toBe(true);
    expect(timeouts.signal.reason).toBe(reason);
    timeouts.dispose();
  });

  it('starts aborted when the parent already is', () => {
    const parent = new AbortController();
    parent.abort(new Error('before'));
    const timeouts = startAttemptTimeouts(parent.signal, limits, 'openai/gpt-4o');
    expect(timeouts.signal.aborted).toBe(true);
    timeouts.dispose();
  });

  it('stops following the parent once disposed', () => {
    const parent = new AbortController();
    const timeouts = startAttemptTimeouts(parent.signal, limits, 'openai/gpt-4o');
    timeouts.dispose();
    parent.abort(new Error('later'));
    expect(timeouts.signal.aborted).toBe(false);
  });

  it('fires the first-token limit as a TimeoutError naming it', async () => {
    const timeouts = startAttemptTimeouts(undefined, { firstTokenMs: 1, idleMs: 1 }, 'openai/gpt-4o');
    await new Promise<void>((resolve) => timeouts.signal.addEventListener('abort', () => resolve()));
    expect(timeouts.signal.reason).toBeInstanceOf(TimeoutError);
    expect((timeouts.signal.reason as TimeoutError).limit).toBe('firstToken');
    timeouts.dispose();
  });
});
