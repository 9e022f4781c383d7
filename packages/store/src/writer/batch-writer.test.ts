import { describe, expect, it, vi } from 'vitest';
import { CallLogWriteError } from '../errors.ts';
import { BatchWriter, type BatchWriterOptions } from './batch-writer.ts';

type Log = { level: 'warn' | 'error'; details: Record<string, unknown>; message: string };

function harness(options: BatchWriterOptions = {}, insert?: (rows: number[]) => Promise<void>) {
  const written: number[][] = [];
  const logs: Log[] = [];
  const writer = new BatchWriter<number, number>(options, {
    prepare: (item) => {
      if (item < 0) throw new Error(`cannot convert ${item}`);
      return item;
    },
    insert:
      insert ??
      (async (rows) => {
        written.push([...rows]);
      }),
    logger: {
      warn: (details, message) =>
        logs.push({ level: 'warn', details: details as Record<string, unknown>, message }),
      error: (details, message) =>
        logs.push({ level: 'error', details: details as Record<string, unknown>, message }),
    },
    sleep: async () => {},
  });
  return { writer, written, logs };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

describe('BatchWriter', () => {
  it('returns from write at once, before any insert, and writes on flush', async () => {
    const { writer, written } = harness({ flushIntervalMs: 10_000 });
    for (const item of range(0, 5)) expect(writer.write(item)).toBe(true);
    expect(written).toEqual([]);
    expect(writer.stats()).toMatchObject({ queued: 5, written: 0 });
    await writer.flush();
    expect(written).toEqual([range(0, 5)]);
    expect(writer.stats()).toEqual({ written: 5, dropped: 0, failed: 0, queued: 0, batches: 1, retries: 0 });
  });

  it('cuts batches at maxBatch without waiting for the interval', async () => {
    const { writer, written } = harness({ maxBatch: 4, flushIntervalMs: 60_000 });
    for (const item of range(0, 10)) writer.write(item);
    await vi.waitFor(() => expect(written.flat()).toHaveLength(8));
    expect(written).toEqual([range(0, 4), range(4, 8)]);
    await writer.flush();
    expect(written.at(-1)).toEqual([8, 9]);
  });

  it('writes a partial batch after flushIntervalMs', async () => {
    vi.useFakeTimers();
    try {
      const { writer, written } = harness({ maxBatch: 100, flushIntervalMs: 50 });
      writer.write(1);
      await vi.advanceTimersByTimeAsync(49);
      expect(written).toEqual([]);
      await vi.advanceTimersByTimeAsync(2);
      expect(written).toEqual([[1]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drop-newest: refuses records beyond maxQueue, counts them, logs once, and the next flush reports them', async () => {
    const { writer, written, logs } = harness({ maxBatch: 2, maxQueue: 4, flushIntervalMs: 60_000 });
    const accepted = range(0, 7).map((item) => writer.write(item));
    expect(accepted).toEqual([true, true, true, true, false, false, false]);
    expect(writer.stats()).toMatchObject({ dropped: 3, queued: 4 });
    expect(logs.filter((log) => log.message.includes('queue full'))).toHaveLength(1);
    expect(logs[0]?.details).toMatchObject({ dropped: 1, maxQueue: 4, overflow: 'drop-newest' });
    const error = await writer.flush().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CallLogWriteError);
    expect((error as CallLogWriteError).lost).toBe(3);
    expect(written.flat()).toEqual([0, 1, 2, 3]);
    // The flush also logged the drops not yet reported in a line.
    expect(
      logs.filter((log) => log.message.includes('queue full')).map((log) => log.details['dropped']),
    ).toEqual([1, 2]);
    // Each loss is reported once: the next flush is clean.
    writer.write(10);
    await expect(writer.flush()).resolves.toBeUndefined();
  });

  it('drop-oldest: evicts the longest-waiting record instead', async () => {
    const { writer, written } = harness({
      maxBatch: 2,
      maxQueue: 4,
      flushIntervalMs: 60_000,
      overflow: 'drop-oldest',
    });
    for (const item of range(0, 6)) expect(writer.write(item)).toBe(true);
    expect(writer.stats()).toMatchObject({ dropped: 2, queued: 4 });
    await expect(writer.flush()).rejects.toMatchObject({ lost: 2 });
    expect(written.flat()).toEqual([2, 3, 4, 5]);
  });

  it('keeps order and loses nothing across queue compactions, with writes arriving between batches', async () => {
    const { writer, written } = harness({ maxBatch: 64, maxQueue: 20_000, flushIntervalMs: 60_000 });
    for (const item of range(0, 6000)) writer.write(item);
    await vi.waitFor(() => expect(written.flat().length).toBeGreaterThanOrEqual(640));
    for (const item of range(6000, 12_000)) writer.write(item);
    await writer.flush();
    expect(written.flat()).toEqual(range(0, 12_000));
    expect(written.every((batch) => batch.length <= 64)).toBe(true);
    for (const item of range(12_000, 12_010)) writer.write(item);
    await writer.flush();
    expect(written.flat()).toEqual(range(0, 12_010));
  });

  it('drop-oldest: evicts the oldest waiting record while batches drain the queue', async () => {
    const { writer, written } = harness({
      maxBatch: 3,
      maxQueue: 5,
      overflow: 'drop-oldest',
      flushIntervalMs: 60_000,
    });
    for (const item of range(0, 5)) writer.write(item);
    await vi.waitFor(() => expect(written.flat().length).toBeGreaterThanOrEqual(3));
    for (const item of range(5, 12)) writer.write(item);
    await expect(writer.flush()).rejects.toBeInstanceOf(CallLogWriteError);
    const stored = written.flat();
    expect(stored).toEqual([...stored].sort((a, b) => a - b));
    expect(stored.length + writer.stats().dropped).toBe(12);
    expect(stored.slice(-3)).toEqual([9, 10, 11]);
  });

  it('waitForCapacity lets a producer wait instead of dropping', async () => {
    const { writer, written } = harness({ maxBatch: 2, maxQueue: 4, flushIntervalMs: 60_000 });
    for (const item of range(0, 20)) {
      await writer.waitForCapacity();
      expect(writer.write(item)).toBe(true);
    }
    await writer.flush();
    expect(written.flat()).toEqual(range(0, 20));
    expect(writer.stats().dropped).toBe(0);
  });

  it('retries a failed batch, then counts it as failed, logs it, and rejects the covering flush', async () => {
    let calls = 0;
    const { writer, logs } = harness({ maxAttempts: 3 }, async () => {
      calls++;
      throw new Error('database is locked');
    });
    writer.write(1);
    writer.write(2);
    const error = await writer.flush().catch((caught: unknown) => caught);
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(CallLogWriteError);
    expect(error).toMatchObject({
      lost: 2,
      cause: expect.objectContaining({ message: 'database is locked' }),
    });
    expect(writer.stats()).toMatchObject({ failed: 2, retries: 2, written: 0, queued: 0 });
    expect(logs.map((log) => log.level)).toEqual(['warn', 'warn', 'error']);
  });

  it('succeeds when a retry does', async () => {
    let calls = 0;
    const { writer } = harness({}, async () => {
      if (++calls === 1) throw new Error('transient');
    });
    writer.write(1);
    await expect(writer.flush()).resolves.toBeUndefined();
    expect(writer.stats()).toMatchObject({ written: 1, retries: 1, failed: 0 });
  });

  it('skips a record that cannot be converted, writes the rest of its batch', async () => {
    const { writer, written, logs } = harness();
    writer.write(1);
    writer.write(-1);
    writer.write(2);
    await expect(writer.flush()).rejects.toMatchObject({ lost: 1 });
    expect(written).toEqual([[1, 2]]);
    expect(logs[0]).toMatchObject({ level: 'error', details: { records: 1 } });
  });

  it('a flush covers only what was written before it', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { writer } = harness({ maxBatch: 1, concurrency: 1 }, async (rows) => {
      if (rows[0] === 2) await gate;
    });
    writer.write(1);
    const first = writer.flush();
    writer.write(2);
    const second = writer.flush();
    let secondDone = false;
    void second.then(() => {
      secondDone = true;
    });
    await first;
    expect(secondDone).toBe(false);
    release();
    await second;
  });

  it('close flushes, then drops later writes with a counter and a log line', async () => {
    const { writer, written, logs } = harness({ flushIntervalMs: 60_000 });
    writer.write(1);
    await writer.close();
    expect(written).toEqual([[1]]);
    expect(writer.write(2)).toBe(false);
    expect(writer.stats().dropped).toBe(1);
    expect(logs.at(-1)?.message).toContain('closed');
  });
});
