// How a test waits for the indexing queue (reindex threads, queued removals). In-process, gij-mock runs on a
// fixed --clock and the test moves the indexing clock one step at a time (POST /__mock/index), so every read
// in between is deterministic. Any other target (a real Jira, or gij-mock behind Prism, whose spec has no
// /__mock path) moves by itself: the test waits and reads again, as a real client polls.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { Send } from './http.js';
import type { Target } from './target.js';

const env = process.env;
/** Remote: how long to wait between two reads, and how long indexing may take at most. */
export const POLL_INTERVAL_MS = Number(env.GIJ_POLL_INTERVAL_MS) || 500;
export const INDEX_TIMEOUT_MS = Number(env.GIJ_INDEX_TIMEOUT_MS) || 120_000;
/** In-process: more steps than any story here needs (each repository's start or end is one). */
const MAX_STEPS = 200;

export interface IndexClock {
  /** true when the test moves the clock itself (in-process, --clock) */
  readonly controlled: boolean;
  /** Moves the indexing on: one step of the session's clock, or one wait. */
  tick(): Promise<void>;
  /** Reads `read` until `done` holds, ticking between reads; fails naming `what` past the bound. */
  until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<{ value: T; reads: number }>;
}

export function indexClock(target: Target, send: Send, headers: Record<string, string> = {}): IndexClock {
  const controlled = !target.remote;
  const maxReads = controlled ? MAX_STEPS : Math.ceil(INDEX_TIMEOUT_MS / POLL_INTERVAL_MS);
  const clock: IndexClock = {
    controlled,
    async tick() {
      if (!controlled) return void (await sleep(POLL_INTERVAL_MS));
      const res = await send('POST', '/__mock/index', { body: { steps: 1 }, headers });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    },
    async until(what, read, done) {
      for (let reads = 1; ; reads++) {
        const value = await read();
        if (done(value)) return { value, reads };
        if (reads >= maxReads) throw new Error(`${what}: not yet after ${reads} reads (${controlled ? 'steps' : `every ${POLL_INTERVAL_MS} ms`})`);
        await clock.tick();
      }
    },
  };
  return clock;
}
