// Sessions held in memory, with the limits every change is admitted by (--max-sessions, --max-state-bytes).
// No node: module, so the browser build of gij-mock/msw uses it as it is; src/mock/persistence.ts uses it
// without --state-file, and its admission before anything is written to the file.
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { type Change, SessionStores } from '../sessions.js';

type Limits = Pick<Config, 'maxSessions' | 'maxStateBytes'>;

/** Throws ApiError 507 when the change needs a new named session past --max-sessions, or bytes past --max-state-bytes. */
export function admission(limits: Limits, sessions: SessionStores): (change: Change) => void {
  return (change) => {
    if (sessions.creates(change) && sessions.namedCount >= limits.maxSessions) throw ApiError.of('sessionLimit', { max: limits.maxSessions });
    // Before the log or a store is touched; a change that frees bytes is always admitted.
    const growth = sessions.growth(change);
    if (growth > 0 && sessions.bytes + growth > limits.maxStateBytes) throw ApiError.of('stateBytesLimit', { max: limits.maxStateBytes, held: sessions.bytes, growth });
  };
}

/** The state of a server without --state-file: changes are admitted, then applied. */
export function memoryState(limits: Limits, sessions = new SessionStores()): { sessions: SessionStores; commit: (change: Change) => void; close: () => Promise<void> } {
  const admit = admission(limits, sessions);
  return { sessions, commit: (change) => { admit(change); sessions.apply(change); }, close: async () => {} };
}
