// Does POST /__mock/reset?all=true keep anything alive? An in-process gij-mock (run with node --expose-gc, so
// this script, not the server, can force a full collection) is filled by imports, reset, left idle, then
// collected. Prints one JSON line of heap and RSS figures (MiB). Run by scripts/bench/memory-flood.ts.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../../src/app.js';
import { defaultConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

const IMPORTS = 40;
const IDLE_S = 10;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const memory = () => {
  const m = process.memoryUsage();
  return { rssMb: Math.round(m.rss / 2 ** 20), heapUsedMb: Math.round(m.heapUsed / 2 ** 20) };
};

const config = { ...defaultConfig, logLevel: 'silent' as const, validateResponses: false };
const server: Server = await new Promise((resolve) => { const s = createApp(config, { logger: createLogger('silent') }).listen(0, '127.0.0.1', () => resolve(s)); });
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const body = JSON.stringify({ integrations: Array.from({ length: 10_000 }, (_, i) => ({ type: 'GITLAB', pat: 'p', displayName: `flood-${i}` })) });
const start = memory();
for (let i = 0; i < IMPORTS; i++) {
  const res = await fetch(`${url}/__mock/state`, { method: 'PUT', body, headers: { 'content-type': 'application/json', 'x-mock-session': `s${i}` } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`import answered ${res.status}`);
}
gc();
const full = memory();
await (await fetch(`${url}/__mock/reset?all=true`, { method: 'POST', headers: { 'x-mock-session': 'default' } })).arrayBuffer();
await sleep(IDLE_S * 1000);
const idle = memory();
gc();
await sleep(3000);
const collected = memory();
server.closeAllConnections();
server.close();
process.stdout.write(`${JSON.stringify({ imports: IMPORTS, idleS: IDLE_S, start, full, idle, collected })}\n`);
