// The Express host mounted inside a user's Express app under a prefix: its paths are answered there (the
// validator's 400s included), and a path it does not know goes on to the user's next route.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { defaultConfig } from '../../src/config.js';

let server: Server;
let base = '';
const auth = { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
beforeAll(async () => {
  const outer = express();
  outer.use('/mock', createApp({ ...defaultConfig, logLevel: 'silent' }));
  outer.use((_req, res) => void res.status(418).json({ mine: true }));
  server = await new Promise((resolve) => { const s = outer.listen(0, '127.0.0.1', () => resolve(s)); });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

describe('createApp mounted under /mock in a user app', () => {
  it('answers the API under the prefix', async () => {
    const res = await fetch(`${base}/mock/rest/gitplugin/1.0/integration`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, integrations: [] });
  });
  it('names a broken request field in a 400 under the prefix (the validator runs there too)', async () => {
    const res = await fetch(`${base}/mock/rest/gitplugin/1.0/integration`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'NOPE' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/type must be equal to one of the allowed values/);
  });
  it('answers its controls under the prefix', async () => {
    expect((await fetch(`${base}/mock/__mock/faults`)).status).toBe(200);
  });
  it('passes a path it does not know to the next route of the user app', async () => {
    const res = await fetch(`${base}/mock/elsewhere`);
    expect(res.status).toBe(418);
    expect((await fetch(`${base}/other`)).status).toBe(418);
  });
});
