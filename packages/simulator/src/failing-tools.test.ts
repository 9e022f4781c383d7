import { describe, expect, it } from 'vitest';
import { failingTools } from './failing-tools.ts';

const ok = (name: string) => ({ name, error: false });
const error = (name: string) => ({ name, error: true });

describe('failingTools', () => {
  it('lists the latest round’s failing tools once each, in result order, with their error streaks', () => {
    expect(failingTools([])).toEqual([]);
    expect(failingTools([[ok('a')]])).toEqual([]);
    expect(failingTools([[error('b'), ok('a'), error('c'), error('b')]])).toEqual([
      { name: 'b', rounds: 1 },
      { name: 'c', rounds: 1 },
    ]);
    expect(
      failingTools([[error('a')], [error('a'), error('b')], [ok('b'), error('a')], [error('a'), error('b')]]),
    ).toEqual([
      { name: 'a', rounds: 4 },
      { name: 'b', rounds: 1 },
    ]);
  });

  it('ends a streak at a round where the tool did not fail, and ignores unknown calls', () => {
    expect(failingTools([[error('a')], [ok('a')], [error('a')], [error('a')]])).toEqual([
      { name: 'a', rounds: 2 },
    ]);
    expect(failingTools([[error('a')], [error('b')], [error('a')]])).toEqual([{ name: 'a', rounds: 1 }]);
    expect(failingTools([[error('')]])).toEqual([]);
  });
});
