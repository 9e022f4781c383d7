import { describe, expect, it } from 'vitest';
import { BufferedResponse, RecordHeaders } from './buffered-response.ts';

const bytes = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

describe('RecordHeaders', () => {
  const raw = {
    'x-request-id': 'req_1',
    'content-type': 'application/json',
    'set-cookie': ['a=1', 'b=2'],
    vary: ['accept', 'origin'],
  };

  it('reads like a fetch Headers: any case, joined repeats, set-cookie apart, sorted iteration', () => {
    const headers = new RecordHeaders(raw);
    const fetchHeaders = new Headers([
      ['x-request-id', 'req_1'],
      ['content-type', 'application/json'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['vary', 'accept'],
      ['vary', 'origin'],
    ]);
    expect(headers).toBeInstanceOf(Headers);
    expect(headers.get('X-Request-ID')).toBe('req_1');
    expect(headers.get('vary')).toBe(fetchHeaders.get('vary'));
    expect(headers.get('missing')).toBeNull();
    expect(headers.has('Content-Type')).toBe(true);
    expect(headers.getSetCookie()).toEqual(fetchHeaders.getSetCookie());
    expect([...headers]).toEqual([...fetchHeaders]);
    expect([...headers.entries()]).toEqual([...fetchHeaders.entries()]);
    expect([...headers.keys()]).toEqual([...fetchHeaders.keys()]);
    expect([...headers.values()]).toEqual([...fetchHeaders.values()]);
    const seen: string[] = [];
    headers.forEach((value, name, parent) => {
      expect(parent).toBe(headers);
      seen.push(`${name}: ${value}`);
    });
    expect(seen).toEqual([...fetchHeaders].map(([name, value]) => `${name}: ${value}`));
    // Copies into a real Headers through its iterator.
    expect([...new Headers(headers)]).toEqual([...fetchHeaders]);
  });

  it("finds no header in Object.prototype's names, as a fetch Headers does not", () => {
    const headers = new RecordHeaders({ a: '1' });
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(headers.get(name)).toBe(new Headers().get(name));
      expect(headers.has(name)).toBe(false);
    }
  });

  it('hands out pairs a caller may change without changing the next iteration', () => {
    const headers = new RecordHeaders({ a: '1', b: '2' });
    const first = [...headers];
    first[0]![1] = 'changed';
    expect([...headers]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('is immutable, as the headers of a fetch response are', () => {
    const headers = new RecordHeaders({ a: '1' });
    expect(() => headers.set('a', '2')).toThrow(TypeError);
    expect(() => headers.append('b', '2')).toThrow(TypeError);
    expect(() => headers.delete('a')).toThrow(TypeError);
    expect(headers.get('a')).toBe('1');
  });
});

describe('BufferedResponse', () => {
  const make = (text = '{"ok":true}', status = 200) =>
    new BufferedResponse(bytes(text), {
      status,
      statusText: status === 200 ? 'OK' : 'Too Many Requests',
      headers: { 'content-type': 'application/json', 'retry-after': '2' },
    });

  it('is a Response with the status, headers and body it was given', async () => {
    const response = make();
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe('OK');
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.bodyUsed).toBe(true);
    expect(make('', 429).ok).toBe(false);
  });

  it('decodes UTF-8 as fetch does (a byte-order mark dropped) through every reader', async () => {
    const text = '\uFEFF{"greeting":"héllo ✓"}';
    expect(await make(text).text()).toBe('{"greeting":"héllo ✓"}');
    expect(new TextDecoder().decode(await make(text).arrayBuffer())).toBe('{"greeting":"héllo ✓"}');
    expect(await make(text).bytes()).toEqual(new Uint8Array(bytes(text)));
    const blob = await make(text).blob();
    expect(blob.type).toBe('application/json');
    expect(await blob.text()).toBe('{"greeting":"héllo ✓"}');
    expect(await make(text).text()).toBe(await new Response(bytes(text)).text());
  });

  it('gives its body once: a second read rejects, as with fetch', async () => {
    const response = make();
    await response.text();
    await expect(response.text()).rejects.toThrow(TypeError);
    await expect(response.json()).rejects.toThrow(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
  });

  it('looking at the body stream leaves the body unused', async () => {
    const response = make();
    expect(response.body).toBeInstanceOf(ReadableStream);
    await new Promise((resolve) => setImmediate(resolve));
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('streams its body on request, and then the body is used', async () => {
    const response = make();
    const reader = response.body.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('{"ok":true}');
    expect((await reader.read()).done).toBe(true);
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('clones into an independent response', async () => {
    const response = make();
    const copy = response.clone();
    expect(await copy.json()).toEqual({ ok: true });
    expect(await response.json()).toEqual({ ok: true });
    expect(copy.headers.get('retry-after')).toBe('2');
  });
});
