import { describe, expect, it } from 'vitest';
import { namedTools } from './named-tools.ts';

const tool = (name: string) => ({ name });

describe('namedTools', () => {
  it('finds whole, case-sensitive names in the order they first appear, each once', () => {
    const tools = [tool('search'), tool('search_docs'), tool('get-weather'), tool('Read')];
    expect(namedTools('Run `get-weather`, then search_docs; get-weather again.', tools)).toEqual([
      tool('get-weather'),
      tool('search_docs'),
    ]);
    expect(namedTools('research and re-search, search_docs2, get-weather-now, read', tools)).toEqual([]);
    expect(namedTools('search_docs first, then search.', tools)).toEqual([
      tool('search_docs'),
      tool('search'),
    ]);
    expect(namedTools('Read it', [tool('Read'), tool('Read')])).toEqual([tool('Read')]);
  });
});
