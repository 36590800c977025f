// gij-mock/msw's handlers, against a fake engine that records what reached it: MSW's setupServer
// (msw/node) routes every URL under the base URL to the engine and nothing else; the controls call the
// engine directly (no MSW, no network); a bad base URL is refused with a sentence.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, EngineRequest, EngineResponse } from '../../src/engine/types.js';
import { mswHandlersOf, parseBaseUrl } from '../../src/hosts/msw.js';

const seen: EngineRequest[] = [];
let closed = 0;
const engine = {
  bodyLimit: (method: string) => (method === 'POST' || method === 'PUT' ? 1000 : 0),
  knows: () => true,
  handle: (req: EngineRequest): EngineResponse => {
    seen.push(req);
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ success: true, path: req.path }) };
  },
  close: async () => void closed++,
} as unknown as Engine;

const mock = mswHandlersOf(engine, 'https://jira.example.com/jira/');
const server = setupServer(...mock);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('gij-mock/msw handlers', () => {
  it('answers every URL under the base URL through the engine, with the raw path and query', async () => {
    seen.length = 0;
    const r = await fetch('https://jira.example.com/jira/rest/gitplugin/1.0/integration?a=1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"GITHUB"}' });
    expect(await r.json()).toEqual({ success: true, path: '/jira/rest/gitplugin/1.0/integration' });
    await fetch('https://jira.example.com/jira');
    expect(seen.map((s) => [s.method, s.path, s.query, s.headers.host])).toEqual([
      ['POST', '/jira/rest/gitplugin/1.0/integration', 'a=1', 'jira.example.com'],
      ['GET', '/jira', '', 'jira.example.com'],
    ]);
    expect(new TextDecoder().decode(seen[0]!.body)).toBe('{"type":"GITHUB"}');
  });

  it('leaves other origins and paths that only start like the context path to other handlers', async () => {
    seen.length = 0;
    await expect(fetch('https://jira.example.com/jiranot/rest')).rejects.toThrow();
    await expect(fetch('https://other.example.com/jira/rest')).rejects.toThrow();
    await expect(fetch('http://jira.example.com/jira/rest')).rejects.toThrow();
    expect(seen).toHaveLength(0);
  });

  it('offers the controls as functions that call the engine directly', async () => {
    seen.length = 0;
    server.close(); // no interception: the call cannot go through MSW or the network
    try {
      await mock.reset({ all: true });
      await mock.requests({ session: 's1' });
    } finally {
      server.listen({ onUnhandledRequest: 'error' });
    }
    expect(seen.map((s) => `${s.method} ${s.path}?${s.query}`)).toEqual(['POST /jira/__mock/reset?all=true', 'GET /jira/__mock/requests?session=s1']);
    expect([mock.baseUrl, mock.apiUrl]).toEqual(['https://jira.example.com/jira', 'https://jira.example.com/jira/rest/gitplugin/1.0']);
    await Promise.all([mock.close(), mock.close()]);
    expect(closed).toBe(1);
  });

  it('refuses a base URL that is not an http(s) origin plus a path', () => {
    expect(() => parseBaseUrl('jira.example.com')).toThrow(/not an absolute URL/);
    expect(() => parseBaseUrl('https://jira.example.com/jira?x=1')).toThrow(/no query/);
    expect(() => parseBaseUrl('ftp://jira.example.com')).toThrow(/http\(s\)/);
    expect(parseBaseUrl('https://jira.example.com')).toEqual({ origin: 'https://jira.example.com', hostname: 'jira.example.com', contextPath: '' });
  });
});
