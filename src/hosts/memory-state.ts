// Sessions held in memory only, with the limits of --max-sessions and --max-state-bytes: the state of
// gij-mock/msw in a browser (no --state-file, no --seed: they name files). Same admission as
// src/mock/persistence.ts without a file.
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { SessionStores, type Change } from '../sessions.js';

export function memoryState(config: Config, _now: () => number): { sessions: SessionStores; commit: (change: Change) => void } {
  const sessions = new SessionStores();
  const commit = (change: Change) => {
    if (sessions.creates(change) && sessions.namedCount >= config.maxSessions) throw ApiError.of('sessionLimit', { max: config.maxSessions });
    const growth = sessions.growth(change);
    if (growth > 0 && sessions.bytes + growth > config.maxStateBytes) throw ApiError.of('stateBytesLimit', { max: config.maxStateBytes, held: sessions.bytes, growth });
    sessions.apply(change);
  };
  return { sessions, commit };
}
