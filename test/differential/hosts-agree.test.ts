// Differential test: the same generated requests (fast-check, valid and invalid, every operation) go in
// the same order to two freshly started hosts with the same clock and seed, and every answer must be
// identical — status, headers (but Date, X-Request-Id, Connection, Keep-Alive) and body. Each case runs
// in its own session (X-Mock-Session), so no case sees another's changes. A planted difference (one
// side started with --validation lenient) proves the comparison can fail.
// Cases: GIJ_DIFFERENTIAL_CASES (5,000 by default); replay a run with the GIJ_PROPERTY_SEED it printed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { propertySeed as seed, seedLine } from '../helpers/property-settings.js';
import { startTarget, type HostName } from '../helpers/target.js';
import { seedDocument, wireRequest, type WireRequest } from './corpus.js';
import { describeDifference, httpTarget, runDifferential, type DiffTarget } from './differential.js';

const cases = Number(process.env.GIJ_DIFFERENTIAL_CASES ?? 5000);
const PLANT_CASES = 500;
/** The two hosts whose validators are held to the same answers. */
const HOSTS: readonly [HostName, HostName] = ['express', 'express'];
const CLOCK = 1_700_000_000_000;

async function startSide(host: HostName, config: Partial<Config>): Promise<DiffTarget> {
  const t = await startTarget({ logLevel: 'silent', journalLimit: 0, ...config }, {}, host);
  return httpTarget(`${host}${config.validation === 'lenient' ? ' (lenient)' : ''}`, new URL(t.baseUrl).origin, () => t.close());
}

/** The corpus with each case in its own session, so every case starts from the seed alone. */
function corpusOf(count: number): WireRequest[] {
  return fc.sample(wireRequest, { seed, numRuns: count }).map((r, i) => ({ ...r, headers: { ...r.headers, 'x-mock-session': `case-${i}` } }));
}

describe('the hosts agree on every request', () => {
  let config: Partial<Config>;
  beforeAll(async () => {
    console.log(seedLine(cases, 'requests'));
    config = { clock: CLOCK, seed: await seedDocument(CLOCK) };
  });

  it(`${HOSTS[0]} and ${HOSTS[1]} give identical answers to ${cases} generated requests`, async () => {
    const sides = [await startSide(HOSTS[0], config), await startSide(HOSTS[1], config)] as const;
    try {
      const started = Date.now();
      const differences = await runDifferential(sides, corpusOf(cases));
      console.log(`differential: ${cases} requests in ${Date.now() - started} ms, ${differences.length} differences`);
      const names = [sides[0].name, sides[1].name] as const;
      const report = differences.slice(0, 10).map((d) => describeDifference(d, names)).join('\n');
      expect(differences.length, `${differences.length} differences (first 10 below; replay with GIJ_PROPERTY_SEED=${seed})\n${report}`).toBe(0);
    } finally {
      await Promise.all(sides.map((s) => s.close()));
    }
  }, 180_000);

  it('a planted difference (one side --validation lenient) is reported', async () => {
    const sides = [await startSide(HOSTS[0], config), await startSide(HOSTS[1], { ...config, validation: 'lenient' })] as const;
    try {
      const differences = await runDifferential(sides, corpusOf(PLANT_CASES));
      expect(differences.length, `no difference in ${PLANT_CASES} requests with seed ${seed}`).toBeGreaterThan(0);
      // The report names the request and both answers.
      expect(describeDifference(differences[0]!, [sides[0].name, sides[1].name])).toMatch(/^#\d+ .+\n {2}[A-Z]+ \/rest\/[^]*\n {2}express: \d{3} [^]*\n {2}express \(lenient\): \d{3} /);
    } finally {
      await Promise.all(sides.map((s) => s.close()));
    }
  }, 60_000);
});
