// The HTTP server's own limits (src/http-limits.ts) and the journal's body bound, on a real listening
// server: gzip cannot smuggle a large body into the journal, garbage after a request still lets that
// request's answer out and journals it, a client that never reads a big list is cut off while others are
// served, and big lists and exports arrive whole.
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { applyServerLimits } from '../../src/http-limits.js';
import { createLogger } from '../../src/logger.js';
import { call } from '../helpers/http.js';
import type { Target } from '../helpers/target.js';
import { waitFor } from '../helpers/wait-for.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function start(overrides: Partial<Config> = {}): Promise<{ t: Target; port: number }> {
  const config: Config = { ...defaultConfig, logLevel: 'silent', ...overrides };
  const app = createApp(config, { logger: createLogger('silent') });
  server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  applyServerLimits(server, config);
  const { port } = server.address() as AddressInfo;
  const t: Target = { baseUrl: `http://127.0.0.1:${port}`, admin: `Basic ${Buffer.from('admin:admin').toString('base64')}`, remote: false, logLines: [], close: async () => {} };
  return { t, port };
}

const rawRequest = (port: number, payload: string | Buffer): Promise<string> => new Promise((resolve, reject) => {
  const socket = connect(port, '127.0.0.1', () => socket.write(payload));
  let text = '';
  socket.on('data', (d) => { text += String(d); });
  socket.on('close', () => resolve(text));
  socket.on('error', reject);
  socket.setTimeout(20_000, () => socket.destroy());
});
const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
type Journal = { requests: Array<{ operationId: string; status: number; body: unknown }> };

describe('journal body bound', () => {
  it('a gzip body of ~1 KB that inflates to 500 KB is journaled as a note with its decoded size', async () => {
    const { t } = await start();
    const json = `{"type":"GITLAB","pat":"p"${' '.repeat(500_000)}}`;
    const res = await fetch(`${t.baseUrl}/rest/gitplugin/1.0/integration`, {
      method: 'POST', headers: { authorization: auth, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(json),
    });
    expect(res.status).toBe(200);
    const journal = (await call(t, 'GET', '/__mock/requests')).body as Journal;
    expect(journal.requests.at(-1)).toMatchObject({ operationId: 'addIntegration', status: 200, body: `(body of ${Buffer.byteLength(json)} bytes not kept)` });
  });
});

describe('connections that misbehave', () => {
  it('a valid POST followed by garbage on the same connection gets its 200, then a 400 envelope, and is journaled', async () => {
    const { t, port } = await start();
    const body = '{"type":"GITLAB","pat":"p","displayName":"before-garbage"}';
    const text = await rawRequest(port, `POST /rest/gitplugin/1.0/integration HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}GARBAGE \u0001\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(text).toContain('"displayName":"before-garbage"');
    expect(text).toMatch(/HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\{"success":false,"error":"The request is not valid HTTP/);
    const journal = (await call(t, 'GET', '/__mock/requests')).body as Journal;
    expect(journal.requests.map((r) => [r.operationId, r.status])).toContainEqual(['addIntegration', 200]);
  });

  it('a request whose client leaves during a Prefer delay is still journaled', async () => {
    const { t } = await start();
    const aborted = new AbortController();
    const received = new Promise((r) => server!.once('request', r));
    const pending = fetch(`${t.baseUrl}/rest/gitplugin/1.0/integration`, { headers: { authorization: auth, prefer: 'delay=400' }, signal: aborted.signal }).catch(() => 'aborted');
    await received; // the server holds the request (its delay runs): the client leaves now
    aborted.abort();
    expect(await pending).toBe('aborted');
    const journaled = async () => ((await call(t, 'GET', '/__mock/requests')).body as Journal).requests.some((r) => r.operationId === 'listIntegrations');
    expect(await waitFor('the aborted list in the journal', journaled)).toBe(true);
  });

  it('a client that never reads a 16 MB list is disconnected after the idle timeout while other requests are answered', async () => {
    const { t, port } = await start();
    const projectMappingIds = Array.from({ length: 1000 }, (_, i) => 1_000_000_000 + i);
    const integrations = Array.from({ length: 1500 }, (_, i) => ({ type: 'GITLAB', pat: 'p', displayName: `big-${i}`, global: false, projectMappingIds }));
    expect((await call(t, 'PUT', '/__mock/state', { body: { integrations } })).status).toBe(200);
    const fullLength = JSON.stringify((await call(t, 'GET', '/integration')).body).length;
    // Shortened only now: on this busy box the 16 MB import itself may compute for over a second.
    server!.timeout = 1000;
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const timedOut = new Promise((r) => server!.once('timeout', r));
    socket.write(`GET /rest/gitplugin/1.0/integration HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\n\r\n`);
    socket.pause();
    // While that answer is stuck, the server keeps answering others.
    expect((await call(t, 'GET', '/integration/1')).status).toBe(200);
    await timedOut;
    // Once the server has given up on it, the client finds an answer cut short and a closed connection.
    let received = 0;
    socket.on('data', (d: Buffer) => { received += d.length; });
    socket.resume();
    await new Promise((r) => socket.once('close', r));
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(fullLength);
  });
});

describe('big lists and exports are streamed whole', () => {
  it('GET /integration and GET /__mock/state of 1,200 integrations are complete, valid JSON in id order', async () => {
    const { t } = await start();
    const integrations = Array.from({ length: 1200 }, (_, i) => ({ id: i + 1, type: 'GITLAB', pat: 'p', displayName: `n${i + 1}` }));
    expect((await call(t, 'PUT', '/__mock/state', { body: { integrations } })).status).toBe(200);
    const list = (await call(t, 'GET', '/integration')).body as { success: boolean; integrations: Array<{ id: number; displayName: string }> };
    expect(list.success).toBe(true);
    expect(list.integrations.map((i) => i.displayName)).toEqual(integrations.map((i) => i.displayName));
    expect(JSON.stringify(list)).not.toContain('"pat"');
    const exported = (await call(t, 'GET', '/__mock/state')).body as { nextId: number; integrations: Array<{ id: number; pat: string }> };
    expect(exported.nextId).toBe(1201);
    expect(exported.integrations.map((i) => [i.id, i.pat])).toEqual(integrations.map((i) => [i.id, '***']));
  });
});

describe('which lists are streamed', () => {
  it('GET /integration of 3 small integrations is one sized body; of 200 with 1,000 project ids each (~2 MB) it is chunked', async () => {
    const { t } = await start();
    await call(t, 'PUT', '/__mock/state', { body: { integrations: ['a', 'b', 'c'].map((n) => ({ type: 'GITLAB', pat: 'p', displayName: n })) } });
    const small = await call(t, 'GET', '/integration');
    expect(small.headers['content-length']).toBeDefined();
    const projectMappingIds = Array.from({ length: 1000 }, (_, i) => 1_000_000_000 + i);
    const big = Array.from({ length: 200 }, (_, i) => ({ type: 'GITLAB', pat: 'p', displayName: `n${i}`, global: false, projectMappingIds }));
    await call(t, 'PUT', '/__mock/state', { body: { integrations: big } });
    const streamed = await call(t, 'GET', '/integration');
    expect(streamed.headers['transfer-encoding']).toBe('chunked');
    expect((streamed.body as { integrations: Array<{ projectMappingIds: number[] }> }).integrations.map((i) => i.projectMappingIds.length)).toEqual(big.map(() => 1000));
  });
});

describe('applyServerLimits', () => {
  it('sets the header, request and keep-alive timeouts and an idle timeout above --max-delay', async () => {
    await start({ headersTimeoutMs: 4000, requestTimeoutMs: 9000, keepAliveTimeoutMs: 3000, idleTimeoutMs: 2000, maxDelayMs: 5000 });
    expect([server!.headersTimeout, server!.requestTimeout, server!.keepAliveTimeout, server!.timeout]).toEqual([4000, 9000, 3000, 6000]);
  });
});
