// One integration store per mock session (the X-Mock-Session header); no header → the default store.
// A session that has no store reads as the seed: only a change creates a store, and a reset deletes it,
// so reads of any number of names hold no memory. Names are Map keys only (`__proto__` is a name like any).
import type { StoredIntegration } from './integration-model.js';
import { IntegrationStore, type StoreSnapshot } from './store.js';

export const DEFAULT_SESSION = 'default';
export const SESSION_HEADER = 'x-mock-session';
export const SESSION_NAME = /^[A-Za-z0-9._~-]{1,64}$/;

/** A change of the stores: what the state file's log records and what is applied after it is durable. */
export type Change =
  | { readonly op: 'put'; readonly session: string; readonly record: StoredIntegration }
  | { readonly op: 'remove'; readonly session: string; readonly id: number }
  | { readonly op: 'reset'; readonly session: string }
  | { readonly op: 'resetAll' }
  | { readonly op: 'import'; readonly session: string; readonly snapshot: StoreSnapshot };

export class SessionStores {
  private readonly stores = new Map<string, IntegrationStore>();

  /** `seed` fills every new or reset store (empty when absent). */
  constructor(private readonly seed: () => StoreSnapshot | undefined = () => undefined) {}

  private fresh(): IntegrationStore {
    const store = new IntegrationStore();
    const snapshot = this.seed();
    if (snapshot) store.restore(snapshot);
    return store;
  }

  /** A valid session name from a header value, or an explanation of why it is not one. */
  static parseName(header: string | string[] | undefined): { name: string } | { problem: string } {
    if (header === undefined) return { name: DEFAULT_SESSION };
    const value = Array.isArray(header) ? header.join(',') : header;
    return SESSION_NAME.test(value) ? { name: value } : { problem: `X-Mock-Session must be 1 to 64 of A-Z a-z 0-9 . _ ~ -, got '${value.slice(0, 80)}'` };
  }

  /** The session's store for reading: its own, or a new store from the seed that is not kept. */
  read(name: string): IntegrationStore {
    return this.stores.get(name) ?? this.fresh();
  }

  has(name: string): boolean {
    return this.stores.has(name);
  }

  get count(): number {
    return this.stores.size;
  }

  /** Whether applying the change would create a store for a session that has none. */
  creates(change: Change): boolean {
    return (change.op === 'put' || change.op === 'import') && !this.stores.has(change.session);
  }

  entries(): Array<[string, IntegrationStore]> {
    return [...this.stores.entries()];
  }

  /** Applies a change that has been validated (and, with --state-file, persisted). */
  apply(change: Change): void {
    switch (change.op) {
      case 'put': this.own(change.session).put(change.record); break;
      case 'remove': this.stores.get(change.session)?.remove(change.id); break;
      case 'reset': this.stores.delete(change.session); break;
      case 'resetAll': this.stores.clear(); break;
      case 'import': this.own(change.session).restore(change.snapshot); break;
    }
  }

  /** Replaces a session's store wholesale (start-up from a snapshot). */
  load(name: string, snapshot: StoreSnapshot): void {
    const store = new IntegrationStore();
    store.restore(snapshot);
    this.stores.set(name, store);
  }

  private own(name: string): IntegrationStore {
    let store = this.stores.get(name);
    if (!store) {
      store = this.fresh();
      this.stores.set(name, store);
    }
    return store;
  }
}
