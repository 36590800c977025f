// Differential test: the same generated requests (fast-check, valid and invalid, every operation) go in
// the same order to the node:http host (the engine's Ajv validators) and the Express host
// (express-openapi-validator), each freshly started with the same clock and seed, and every answer must
// be identical — status, headers (but Date, X-Request-Id, Connection, Keep-Alive) and body. Each case
// runs in its own session (X-Mock-Session), so no case sees another's changes. A planted difference
// (the node host's validator told to skip one rule: maxLength) proves the comparison can fail.
// Cases: GIJ_DIFFERENTIAL_CASES (5,000 by default); replay a run with the GIJ_PROPERTY_SEED it printed;
// GIJ_DIFFERENTIAL_HOSTS names another pair (any of test/helpers/hosts.ts).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/config.js';
import { loadSpec, type OpenApiDocument } from '../../src/spec.js';
import { propertySeed as seed, seedLine } from '../helpers/property-settings.js';
import { serveHost, type HostName, type HostOptions } from '../helpers/target.js';
import { seedDocument, wireRequest, type WireRequest } from './corpus.js';
import { describeDifference, httpTarget, runDifferential, type DiffTarget } from './differential.js';

const cases = Number(process.env.GIJ_DIFFERENTIAL_CASES ?? 5000);
const PLANT_CASES = 500;
/** The two hosts whose validators are held to the same answers; GIJ_DIFFERENTIAL_HOSTS=fetch,express compares others. */
const HOSTS = (process.env.GIJ_DIFFERENTIAL_HOSTS ?? 'node,express').split(',') as [HostName, HostName];
const CLOCK = 1_700_000_000_000;

/** The spec without one rule, everywhere: what a validator that skips `maxLength` would check. */
function withoutMaxLength(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutMaxLength);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'maxLength').map(([k, v]) => [k, withoutMaxLength(v)]));
}

async function startSide(host: HostName, config: Config, options: HostOptions = {}, label: string = host): Promise<DiffTarget> {
  const served = await serveHost(host, config, {}, options);
  return httpTarget(label, served.origin, () => served.close());
}

/** The corpus with each case in its own session, so every case starts from the seed alone. */
function corpusOf(count: number): WireRequest[] {
  return fc.sample(wireRequest, { seed, numRuns: count }).map((r, i) => ({ ...r, headers: { ...r.headers, 'x-mock-session': `case-${i}` } }));
}

async function differencesOf(sides: readonly [DiffTarget, DiffTarget], count: number) {
  try {
    return await runDifferential(sides, corpusOf(count));
  } finally {
    await Promise.all(sides.map((s) => s.close()));
  }
}

describe('the hosts agree on every request', () => {
  let config: Config;
  beforeAll(async () => {
    console.log(seedLine(cases, 'requests'));
    config = { ...defaultConfig, logLevel: 'silent', journalLimit: 0, clock: CLOCK, seed: await seedDocument(CLOCK) };
  });

  it(`${HOSTS[0]} and ${HOSTS[1]} give identical answers to ${cases} generated requests`, async () => {
    const sides = [await startSide(HOSTS[0], config), await startSide(HOSTS[1], config)] as const;
    const started = Date.now();
    const differences = await differencesOf(sides, cases);
    console.log(`differential: ${cases} requests in ${Date.now() - started} ms, ${differences.length} differences`);
    const report = differences.slice(0, 10).map((d) => describeDifference(d, [sides[0].name, sides[1].name])).join('\n');
    expect(differences.length, `${differences.length} differences (first 10 below; replay with GIJ_PROPERTY_SEED=${seed})\n${report}`).toBe(0);
  }, 180_000);

  it('a planted difference (the node host skips maxLength) is reported', async () => {
    const planted = withoutMaxLength(loadSpec()) as OpenApiDocument;
    const sides = [await startSide('node', config, { spec: planted }, 'node (no maxLength)'), await startSide('express', config)] as const;
    const differences = await differencesOf(sides, PLANT_CASES);
    expect(differences.length, `no difference in ${PLANT_CASES} requests with seed ${seed}`).toBeGreaterThan(0);
    // The report names the request and both answers.
    expect(describeDifference(differences[0]!, [sides[0].name, sides[1].name])).toMatch(/^#\d+ .+\n {2}[A-Z]+ \/rest\/[^]*\n {2}node \(no maxLength\): \d{3} [^]*\n {2}express: \d{3} /);
  }, 60_000);
});
