// kill -9 rounds against the built server with --state-file: writers add and remove integrations, the
// server is killed at a seeded random moment, restarted on the same file, and its list is checked against
// what was acknowledged. Shared by the short test (npm test) and the soak run.
import { expect } from 'vitest';
import { seededRandom } from '../../src/mock/faults.js';
import { call } from './http.js';
import { exited, spawnServer } from './spawn-server.js';
import type { Target } from './target.js';
import { waitFor } from './wait-for.js';

const remote = (baseUrl: string): Target => ({ baseUrl, admin: `Basic ${Buffer.from('admin:admin').toString('base64')}`, remote: true, logLines: [], close: async () => {} });
type List = { integrations: Array<{ id: number; displayName: string }> };
const WRITERS = 4;

/** `projectIds`: each add carries that many project ids (10,000: ~110 KB), so the log passes 4 MiB and compactions run while writers write. */
export async function killRounds(opts: { file: string; rounds: number; seed: number; minAcks?: number; projectIds?: number }): Promise<void> {
  const mappings = opts.projectIds ? { global: false, projectMappingIds: Array.from({ length: opts.projectIds }, (_, i) => 1_000_000_000 + i) } : {};
  // The kill moments of a run are replayed by its seed.
  const random = seededRandom(opts.seed);
  const present = new Map<string, number>(); // acknowledged adds not acknowledged-removed: name → id
  const removed = new Set<string>();
  for (let round = 0; round < opts.rounds; round++) {
    const server = await spawnServer(['--state-file', opts.file]);
    const t = remote(server.baseUrl);
    const inFlight = new Set<string>();
    let stop = false;
    let acks = 0;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `r${round}-w${w}-${i}`;
        const victim = i % 3 === 2 ? [...present.entries()].find(([n]) => n.startsWith(`r${round}-w${w}-`)) : undefined;
        if (victim) {
          inFlight.add(victim[0]);
          const res = await call(t, 'DELETE', `/integration/${victim[1]}`).catch(() => undefined);
          if (res?.status === 200) { present.delete(victim[0]); removed.add(victim[0]); inFlight.delete(victim[0]); acks++; }
          continue;
        }
        inFlight.add(name);
        const res = await call(t, 'POST', '/integration', { body: { type: 'GITLAB', pat: 'p', displayName: name, ...mappings } }).catch(() => undefined);
        if (res?.status === 200) { present.set(name, (res.body as { integration: { id: number } }).integration.id); inFlight.delete(name); acks++; }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    const minAcks = opts.minAcks ?? 10;
    await waitFor(`${minAcks} acknowledged writes`, () => acks >= minAcks, 20_000);
    // Not a wait for anything: the kill lands at a random moment of the write traffic, by design.
    await new Promise((r) => setTimeout(r, Math.floor(random() * 400)));
    server.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await exited(server.child);
    const next = await spawnServer(['--state-file', opts.file]);
    try {
      const names = new Map(((await call(remote(next.baseUrl), 'GET', '/integration')).body as List).integrations.map((i) => [i.displayName, i.id]));
      const lost = [...present.keys()].filter((n) => !names.has(n) && !inFlight.has(n));
      const resurrected = [...removed].filter((n) => names.has(n));
      const unacknowledged = [...names.keys()].filter((n) => !present.has(n) && !removed.has(n));
      expect(lost, `round ${round}: acknowledged adds missing after kill -9`).toEqual([]);
      expect(resurrected, `round ${round}: acknowledged removes undone`).toEqual([]);
      expect(unacknowledged.every((n) => inFlight.has(n)), `round ${round}: ${unacknowledged.join(', ')} were never in flight`).toBe(true);
      expect(unacknowledged.length).toBeLessThanOrEqual(WRITERS);
      // What the restart shows is now the truth: in-flight adds that made it are present, in-flight removes that made it are gone.
      for (const n of unacknowledged) present.set(n, names.get(n)!);
      for (const n of [...present.keys()]) if (!names.has(n)) present.delete(n);
    } finally {
      next.child.kill('SIGTERM');
      await exited(next.child);
    }
  }
}
