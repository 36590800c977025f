// Where the session stores come from at start (--state-file, else --seed) and how changes are kept.
import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { SessionStores } from '../sessions.js';
import { fromStateDocument, readJsonFile, StateError, toStateDocument, writeStateFile, type StateDocument, type StateFile } from './state.js';

export interface Persistence {
  readonly sessions: SessionStores;
  /** Called after every acknowledged change: with --state-file, written before the response leaves. */
  readonly changed: () => void;
}

export function openPersistence(config: Config, now: () => number): Persistence {
  const sessions = new SessionStores(() => (config.seed ? fromStateDocument(config.seed, now()) : undefined));
  const path = config.stateFile;
  if (!path) return { sessions, changed: () => {} };
  if (existsSync(path)) {
    const file = readJsonFile(path) as Partial<StateFile>;
    for (const [name, doc] of Object.entries(file.sessions ?? {})) {
      try {
        sessions.get(name).restore(fromStateDocument(doc, now()));
      } catch (e) {
        if (e instanceof StateError) throw new StateError(e.problems.map((p) => `${path} session ${name}: ${p}`));
        throw e;
      }
    }
  }
  const changed = () => {
    const all: Record<string, StateDocument> = {};
    for (const [name, store] of sessions.entries()) all[name] = toStateDocument(store.snapshot());
    writeStateFile(path, all);
  };
  changed();
  return { sessions, changed };
}
