// The in-process series: get-one through a do-nothing WHATWG fetch handler (Basic check, fixed body) and through
// gij-mock's createFetchHandler, called one after another in a loop (a Request built and the body read per call,
// as a client's fetch through MSW does), rounds interleaved. Its own process, so the bench's own work stays out.
// Run: node scripts/bench/fetch-loop.mjs <dist/lib/index.mjs> <bodies.json> <rounds> <ms per run>
// Prints one JSON line: { available, floor: number[], gijMock: number[], failures, error? } (calls per second per round).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [lib, bodiesFile, roundsArg, msArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
const runMs = Number(msArg);
const AUTHORIZATION = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
/** The handler's own base URL when it has one (GijMockFetchHandler.apiUrl), so no host rule stands in the way. */
let BASE = 'http://127.0.0.1/rest/gitplugin/1.0/integration';
const getOneBody = JSON.stringify(JSON.parse(readFileSync(bodiesFile, 'utf8')).getOne);
const json = { 'content-type': 'application/json' };

/** The floor: what any fetch handler pays for Node's Request and Response objects, plus a Basic check. */
async function doNothing(request) {
  if (request.headers.get('authorization') !== AUTHORIZATION) return new Response('{"success":false}', { status: 401, headers: json });
  return new Response(getOneBody, { status: 200, headers: json });
}

let failures = 0;
async function callsPerSecond(handler, ms) {
  let calls = 0;
  const started = performance.now();
  const until = started + ms;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) {
      const res = await handler(new Request(`${BASE}/1`, { headers: { authorization: AUTHORIZATION } }));
      await res.text();
      if (res.status !== 200) failures++;
    }
    calls += 100;
  }
  return calls / ((performance.now() - started) / 1000);
}

const mod = await import(pathToFileURL(lib).href);
if (typeof mod.createFetchHandler !== 'function') {
  process.stdout.write(`${JSON.stringify({ available: false, floor: [], gijMock: [], failures: 0 })}\n`);
} else {
  try {
    process.stdout.write(`${JSON.stringify(await measure())}\n`);
  } catch (e) {
    // The series goes on without this row; the report says why.
    process.stdout.write(`${JSON.stringify({ available: false, floor: [], gijMock: [], failures: 0, error: String(e?.message ?? e) })}\n`);
  }
}

async function measure() {
  let gijMock = mod.createFetchHandler({ logLevel: 'warn' });
  if (typeof gijMock?.then === 'function') gijMock = await gijMock;
  if (typeof gijMock.apiUrl === 'string') BASE = `${gijMock.apiUrl}/integration`;
  const add = await gijMock(new Request(BASE, { method: 'POST', headers: { authorization: AUTHORIZATION, ...json }, body: '{"type":"GITHUB","pat":"x"}' }));
  if (add.status !== 200) throw new Error(`createFetchHandler: add answered ${add.status}: ${await add.text()}`);
  await callsPerSecond(doNothing, 1000); // warm-up of both, dropped
  await callsPerSecond(gijMock, 1000);
  const floor = [];
  const gij = [];
  for (let r = 0; r < rounds; r++) {
    floor.push(await callsPerSecond(doNothing, runMs));
    gij.push(await callsPerSecond(gijMock, runMs));
  }
  await gijMock.close?.();
  return { available: true, floor, gijMock: gij, failures };
}
