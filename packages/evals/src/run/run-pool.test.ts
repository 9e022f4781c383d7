import { describe, expect, it } from 'vitest';
import { runPool } from './run-pool.ts';

async function* numbers(count: number, pulled: number[]) {
  for (let index = 1; index <= count; index++) {
    pulled.push(index);
    yield index;
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runPool', () => {
  it('keeps at most `concurrency` items in flight and never reads ahead of the work', async () => {
    const pulled: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const result = await runPool(
      numbers(20, pulled),
      async (item) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        expect(pulled.length - seen.length).toBeLessThanOrEqual(3);
        await tick();
        seen.push(item);
        inFlight -= 1;
      },
      { concurrency: 3 },
    );
    expect(result.exhausted).toBe(true);
    expect(peak).toBe(3);
    expect(seen.sort((left, right) => left - right)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
  });

  it('stops starting items when admit says no, and closes the source', async () => {
    const pulled: number[] = [];
    const source = numbers(100, pulled);
    const seen: number[] = [];
    const result = await runPool(source, async (item) => void seen.push(item), {
      concurrency: 2,
      admit: (item) => item < 5,
    });
    expect(result.exhausted).toBe(false);
    expect(Math.max(...seen)).toBeLessThan(5);
    expect(pulled.length).toBeLessThan(10);
    expect((await source.next()).done).toBe(true);
  });

  it('rejects with the first error after the others settle', async () => {
    let settled = 0;
    await expect(
      runPool(
        numbers(10, []),
        async (item) => {
          await tick();
          settled += 1;
          if (item === 2) throw new Error('boom');
        },
        { concurrency: 3 },
      ),
    ).rejects.toThrow('boom');
    expect(settled).toBeLessThanOrEqual(4);
  });
  it('follows a concurrency function as it grows and shrinks', async () => {
    let limit = 2;
    let inFlight = 0;
    const peaks: number[] = [];
    const gates: Array<() => void> = [];
    const done = runPool(
      numbers(60, []),
      async (item) => {
        inFlight += 1;
        peaks[item] = inFlight;
        await new Promise<void>((resolve) => gates.push(resolve));
        inFlight -= 1;
      },
      { concurrency: () => limit },
    );
    const settle = async (count: number) => {
      for (let index = 0; index < count; index++) gates.shift()?.();
      for (let index = 0; index < 5; index++) await tick();
    };
    await settle(0);
    expect(inFlight).toBe(2);
    limit = 10;
    await settle(1);
    expect(inFlight).toBe(10);
    limit = 3;
    await settle(4);
    expect(inFlight).toBe(6);
    await settle(6);
    expect(inFlight).toBe(3);
    await settle(3);
    expect(inFlight).toBe(3);
    while (gates.length > 0) await settle(gates.length);
    await expect(done).resolves.toEqual({ exhausted: true });
    expect(Math.max(...peaks.filter((peak) => peak !== undefined))).toBe(10);
  });

  it('rejects with the source error after the items in flight settle', async () => {
    let settled = 0;
    async function* failing() {
      yield 1;
      yield 2;
      throw new Error('row 3: bad encoding');
    }
    await expect(
      runPool(
        failing(),
        async () => {
          await tick();
          settled += 1;
        },
        { concurrency: () => 4 },
      ),
    ).rejects.toThrow('row 3: bad encoding');
    expect(settled).toBe(2);
  });
});
