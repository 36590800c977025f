// One integration store per mock session (the X-Mock-Session header); no header → the default store.
// A session that has no store reads as the seed: only a change creates a store, and a reset deletes it,
// so reads of any number of names hold no memory. Names are Map keys only (`__proto__` is a name like any).
// The bytes every store holds (store.ts recordBytes) are summed here, change by change, for --max-state-bytes.
import type { HostCatalogue } from './host-catalogue.js';
import type { StoredIntegration } from './integration-model.js';
import type { QueueSnapshot } from './reindex-queue.js';
import type { StoredRepository } from './repository-model.js';
import { jsonBytes, repositoryBytes } from './repository-store.js';
import { IntegrationStore, recordBytes, snapshotBytes, type StoreSnapshot } from './store.js';

export const DEFAULT_SESSION = 'default';
export const SESSION_HEADER = 'x-mock-session';
export const SESSION_NAME = /^[A-Za-z0-9._~-]{1,64}$/;

/** A change of one session's integrations, repositories, host catalogue or indexing queue. */
export type SessionChange =
  | { readonly op: 'put'; readonly session: string; readonly record: StoredIntegration }
  | { readonly op: 'remove'; readonly session: string; readonly id: number }
  | { readonly op: 'putRepository'; readonly session: string; readonly record: StoredRepository }
  | { readonly op: 'removeRepository'; readonly session: string; readonly id: number }
  /** undefined: back to the default catalogue. */
  | { readonly op: 'hosts'; readonly session: string; readonly catalogue: HostCatalogue | undefined }
  | { readonly op: 'index'; readonly session: string; readonly queue: QueueSnapshot };

/** A change of the stores: what the state file's log records and what is applied after it is durable. */
export type Change =
  | SessionChange
  /** Several changes of one session applied as one (an integration with its discovered repositories and their queue). */
  | { readonly op: 'batch'; readonly session: string; readonly changes: readonly SessionChange[] }
  | { readonly op: 'reset'; readonly session: string }
  | { readonly op: 'resetAll' }
  | { readonly op: 'import'; readonly session: string; readonly snapshot: StoreSnapshot };

/** An import's size, measured once when it is admitted and reused when it is applied. */
const importBytes = new WeakMap<StoreSnapshot, number>();
function measured(snapshot: StoreSnapshot): number {
  let bytes = importBytes.get(snapshot);
  if (bytes === undefined) importBytes.set(snapshot, (bytes = snapshotBytes(snapshot)));
  return bytes;
}


export class SessionStores {
  private readonly stores = new Map<string, IntegrationStore>();
  private heldBytes = 0;

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

  /** Stores of named sessions: what --max-sessions bounds (the default session is always served). */
  get namedCount(): number {
    return this.stores.size - (this.stores.has(DEFAULT_SESSION) ? 1 : 0);
  }

  /** What all stores hold together, in recordBytes (what --max-state-bytes bounds). */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Whether applying the change would create a store for a named session that has none. */
  creates(change: Change): boolean {
    return change.op !== 'remove' && change.op !== 'removeRepository' && change.op !== 'reset' && change.op !== 'resetAll'
      && change.session !== DEFAULT_SESSION && !this.stores.has(change.session);
  }

  /** How much `bytes` would grow if the change were applied; 0 or less for changes that only free. */
  growth(change: Change): number {
    const store = change.op === 'resetAll' ? undefined : this.stores.get(change.session);
    switch (change.op) {
      case 'put': {
        if (store) return store.growthOf(change.record);
        const created = this.fresh();
        return created.bytes + created.growthOf(change.record);
      }
      case 'import': return measured(change.snapshot) - (store?.bytes ?? 0);
      case 'remove': {
        const old = store?.get(change.id);
        return old ? -recordBytes(old) : 0;
      }
      case 'reset': return -(store?.bytes ?? 0);
      case 'resetAll': return -this.heldBytes;
      case 'putRepository': {
        if (store) return store.repositories.growthOf(change.record);
        const created = this.fresh();
        return created.bytes + created.repositories.growthOf(change.record);
      }
      case 'removeRepository': {
        const old = store?.repositories.get(change.id);
        return old ? -repositoryBytes(old) : 0;
      }
      case 'hosts': return jsonBytes(change.catalogue) - jsonBytes(store?.repositories.hosts);
      case 'index': return jsonBytes(change.queue) - jsonBytes(store?.repositories.index);
      // The sum over its parts, each against the store as it is: exact unless one record changes twice.
      case 'batch': return change.changes.reduce((sum, c) => sum + this.growth(c), 0);
    }
  }

  entries(): Array<[string, IntegrationStore]> {
    return [...this.stores.entries()];
  }

  /** Applies a change that has been validated (and, with --state-file, persisted). O(1) in the stores held. */
  apply(change: Change): void {
    if (change.op === 'resetAll') {
      this.stores.clear();
      this.heldBytes = 0;
      return;
    }
    const before = this.stores.get(change.session)?.bytes ?? 0;
    switch (change.op) {
      case 'reset': this.stores.delete(change.session); break;
      // Replaced wholesale: the seed a new store starts with would be dropped at once, so it is not built.
      case 'import': this.own(change.session, false).restore(change.snapshot, measured(change.snapshot)); break;
      case 'batch': for (const c of change.changes) this.applyTo(c); break;
      default: this.applyTo(change);
    }
    this.heldBytes += (this.stores.get(change.session)?.bytes ?? 0) - before;
  }

  private applyTo(change: SessionChange): void {
    switch (change.op) {
      case 'put': this.own(change.session).put(change.record); break;
      case 'remove': this.stores.get(change.session)?.remove(change.id); break;
      case 'putRepository': this.own(change.session).repositories.put(change.record); break;
      case 'removeRepository': this.stores.get(change.session)?.repositories.remove(change.id); break;
      case 'hosts': this.own(change.session).repositories.setHosts(change.catalogue); break;
      case 'index': this.own(change.session).repositories.setIndex(change.queue); break;
    }
  }

  /** Replaces a session's store wholesale (start-up from a snapshot). */
  load(name: string, snapshot: StoreSnapshot): void {
    this.heldBytes -= this.stores.get(name)?.bytes ?? 0;
    const store = new IntegrationStore();
    store.restore(snapshot);
    this.stores.set(name, store);
    this.heldBytes += store.bytes;
  }

  private own(name: string, seeded = true): IntegrationStore {
    let store = this.stores.get(name);
    if (!store) {
      store = seeded ? this.fresh() : new IntegrationStore();
      this.stores.set(name, store);
    }
    return store;
  }
}
