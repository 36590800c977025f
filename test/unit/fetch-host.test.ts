// The fetch host's translation, against a fake engine that records what it was given: Request → EngineRequest
// (raw path and query, lower-case headers, Host from the URL, body read only when the route takes one,
// gzip/deflate decoded, the limit applied after decoding, unknown encodings flagged) and EngineResponse →
// Response (headers, several-line headers, null, string and streamed bodies).
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Engine, EngineRequest, EngineResponse } from '../../src/engine/types.js';
import { fetchHandlerOf } from '../../src/hosts/fetch.js';
import { nodeDecoders } from '../../src/hosts/node-decoders.js';

function fakeEngine(limit: number, answer: EngineResponse = { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' }, decoders = {}) {
  const seen: EngineRequest[] = [];
  const engine = {
    bodyLimit: () => limit,
    knows: () => true,
    handle: (req: EngineRequest) => (seen.push(req), answer),
  } as unknown as Engine;
  return { handler: fetchHandlerOf(engine, decoders), seen };
}
const BASE = 'https://jira.example.com/jira/rest/gitplugin/1.0';
const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

describe('fetch host: Request → EngineRequest', () => {
  it('passes method, raw path and query, lower-case headers and the URL host', async () => {
    const { handler, seen } = fakeEngine(0);
    await handler(new Request(`${BASE}/integration/7?a=1&b=%20x`, { headers: { 'X-Mock-Session': 's1', Authorization: 'Basic eA==' } }));
    const req = seen[0]!;
    expect([req.method, req.path, req.query, req.protocol]).toEqual(['GET', '/jira/rest/gitplugin/1.0/integration/7', 'a=1&b=%20x', 'https']);
    expect(req.headers).toMatchObject({ 'x-mock-session': 's1', authorization: 'Basic eA==', host: 'jira.example.com' });
    expect(req.body).toBeUndefined();
    expect(typeof req.arrivedMs).toBe('number');
  });

  it('does not read the body of a route that takes none', async () => {
    const { handler, seen } = fakeEngine(0);
    const request = new Request(`${BASE}/integration`, { method: 'DELETE', body: '{"a":1}' });
    await handler(request);
    expect(seen[0]!.body).toBeUndefined();
    expect(request.bodyUsed).toBe(false);
  });

  it('reads the body, and an empty one is none', async () => {
    const { handler, seen } = fakeEngine(100);
    await handler(new Request(`${BASE}/integration`, { method: 'POST', body: '{"a":1}' }));
    await handler(new Request(`${BASE}/integration`, { method: 'POST', body: '' }));
    expect(text(seen[0]!.body)).toBe('{"a":1}');
    expect(seen[1]!.body).toBeUndefined();
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ])('decodes Content-Encoding %s', async (encoding, encode) => {
    const { handler, seen } = fakeEngine(100);
    await handler(new Request(`${BASE}/integration`, { method: 'POST', headers: { 'content-encoding': encoding }, body: encode('{"a":1}') }));
    expect(text(seen[0]!.body)).toBe('{"a":1}');
    expect(seen[0]!.bodyError).toBeUndefined();
  });

  it('applies the limit to the decoded bytes', async () => {
    const { handler, seen } = fakeEngine(1000);
    const big = `"${'x'.repeat(5000)}"`;
    await handler(new Request(`${BASE}/integration`, { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: gzipSync(big) }));
    await handler(new Request(`${BASE}/integration`, { method: 'POST', body: 'y'.repeat(1000) }));
    expect(gzipSync(big).length).toBeLessThan(1000);
    expect(seen[0]!).toMatchObject({ bodyError: 'tooLarge' });
    expect(seen[0]!.body).toBeUndefined();
    expect(text(seen[1]!.body)).toHaveLength(1000);
  });

  it('decodes br with the decoders a runtime adds (Node: node:zlib), and without one answers it as unknown', async () => {
    const withZlib = fakeEngine(100, undefined, nodeDecoders);
    const brRequest = () => new Request(`${BASE}/integration`, { method: 'POST', headers: { 'content-encoding': 'br' }, body: brotliCompressSync('{"a":1}') });
    await withZlib.handler(brRequest());
    expect(text(withZlib.seen[0]!.body)).toBe('{"a":1}');
    const without = fakeEngine(100);
    await without.handler(brRequest());
    // Node 20's DecompressionStream has no brotli; a runtime whose has one decodes it.
    expect([undefined, 'unknownEncoding']).toContain(without.seen[0]!.bodyError);
  });

  it('flags an unknown encoding and bytes that do not decode', async () => {
    const { handler, seen } = fakeEngine(100);
    await handler(new Request(`${BASE}/integration`, { method: 'POST', headers: { 'content-encoding': 'zstd-x' }, body: 'abc' }));
    await handler(new Request(`${BASE}/integration`, { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: 'not gzip' }));
    expect(seen.map((r) => r.bodyError)).toEqual(['unknownEncoding', 'badEncoding']);
  });
});

describe('fetch host: EngineResponse → Response', () => {
  it('keeps status, headers and several-line headers', async () => {
    const { handler } = fakeEngine(0, { status: 201, headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'r1' }, headerLines: { 'X-Gij-Mock-Warning': ['one', 'two'] }, body: '{"ok":true}' });
    const response = await handler(new Request(`${BASE}/integration`));
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(response.headers.get('x-gij-mock-warning')).toBe('one, two');
    expect(response.headers.get('content-length')).toBe('11');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const { handler } = fakeEngine(0, { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"é":1}' });
    const response = await handler(new Request(`${BASE}/integration`, { method: 'HEAD' }));
    expect([response.headers.get('content-length'), response.body]).toEqual(['8', null]);
  });

  it('sends no body for null', async () => {
    const { handler } = fakeEngine(0, { status: 204, headers: {}, body: null });
    const response = await handler(new Request(`${BASE}/integration/1`, { method: 'DELETE' }));
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('streams an AsyncIterable body slice by slice', async () => {
    let pulled = 0;
    async function* slices() {
      for (const s of ['[', '1,', '2', ']']) {
        pulled++;
        yield s;
      }
    }
    const { handler } = fakeEngine(0, { status: 200, headers: { 'Content-Type': 'application/json' }, body: slices() });
    const response = await handler(new Request(`${BASE}/integration`));
    expect(pulled).toBeLessThan(4); // nothing is gathered before the reader asks
    expect(await response.json()).toEqual([1, 2]);
    expect(pulled).toBe(4);
  });
});
