// The integration store: plain values in and out, no Express. O(1) get/add/update/remove, O(n) list.
import { type Integration, type StoredIntegration, toIntegration } from './integration-model.js';
import { RepositoryStore, type RepositorySnapshot } from './repository-store.js';

/** Ids live in 1…MAX_ID (the spec's int32 range); a store whose next id is MAX_ID + 1 is full. */
export const MAX_ID = 2147483647;

export interface StoreSnapshot {
  nextId: number;
  integrations: StoredIntegration[];
  /** Repositories, the host catalogue and the indexing queue (issue 21); absent = none, the default catalogue. */
  repositories?: RepositorySnapshot;
}

/**
 * What a record counts against --max-state-bytes: the UTF-8 length of its JSON. Records are frozen, so
 * the figure is the same when it is added and when it is removed; no size is kept per record.
 */
export function recordBytes(record: StoredIntegration): number {
  return Buffer.byteLength(JSON.stringify(record), 'utf8');
}

export function snapshotBytes(snapshot: StoreSnapshot): number {
  let bytes = 0;
  for (const record of snapshot.integrations) bytes += recordBytes(record);
  if (snapshot.repositories) {
    const repositories = new RepositoryStore(() => {});
    repositories.restore(snapshot.repositories);
    bytes += repositories.bytes;
  }
  return bytes;
}

export class IntegrationStore {
  private readonly byId = new Map<number, StoredIntegration>();
  private nextId = 1;
  private heldBytes = 0;
  /** The session's repositories: their ids come from this store's one sequence. */
  readonly repositories = new RepositoryStore((id) => { if (id >= this.nextId) this.nextId = id + 1; });

  get size(): number {
    return this.byId.size;
  }

  /** The sum of recordBytes() over the records held, kept up to date on every change (O(1) per record). */
  get bytes(): number {
    return this.heldBytes + this.repositories.bytes;
  }

  /** How much `bytes` would grow if `record` were put (negative when it replaces a larger one). */
  growthOf(record: StoredIntegration): number {
    const old = this.byId.get(record.id);
    return recordBytes(record) - (old ? recordBytes(old) : 0);
  }

  /**
   * The id the next add gets; ids start at 1 and are never reused within a store's life. Only put()
   * advances it, so an add that is refused (e.g. its change could not be persisted) uses up no id.
   * MAX_ID + 1 means the id space is used up.
   */
  peekNextId(): number {
    return this.nextId;
  }

  get(id: number): StoredIntegration | undefined {
    return this.byId.get(id);
  }

  /** Inserts or replaces a record (callers validate first). */
  put(record: StoredIntegration): StoredIntegration {
    this.heldBytes += this.growthOf(record);
    return this.insert(record);
  }

  private insert(record: StoredIntegration): StoredIntegration {
    Object.freeze(record.fields);
    // A new id below the largest (only from imports) would break list order: rebuild in id order.
    const outOfOrder = !this.byId.has(record.id) && record.id < this.nextId - 1 && this.byId.size > 0;
    this.byId.set(record.id, Object.freeze(record));
    if (outOfOrder) {
      const sorted = [...this.byId.values()].sort((a, b) => a.id - b.id);
      this.byId.clear();
      for (const r of sorted) this.byId.set(r.id, r);
    }
    if (record.id >= this.nextId) this.nextId = record.id + 1;
    return record;
  }

  remove(id: number): boolean {
    const old = this.byId.get(id);
    if (old) this.heldBytes -= recordBytes(old);
    return this.byId.delete(id);
  }

  /**
   * The client view, rendered on every call. Not cached: a cache per record cost ~300 B per stored
   * integration and did not make a list of 1,000 faster (JSON.stringify dominates; bench/results.md).
   */
  view(record: StoredIntegration): Integration {
    return toIntegration(record);
  }

  /** Every integration, ascending by id. */
  list(): Integration[] {
    const out: Integration[] = [];
    for (const record of this.byId.values()) out.push(this.view(record));
    return out;
  }

  /** Every record, ascending by id (a copy of the references: later changes do not affect it). */
  records(): StoredIntegration[] {
    return [...this.byId.values()];
  }

  clear(): void {
    this.byId.clear();
    this.nextId = 1;
    this.heldBytes = 0;
    this.repositories.clear();
  }

  snapshot(): StoreSnapshot {
    const repositories = this.repositories.snapshot();
    const any = repositories.repositories.length > 0 || repositories.hosts !== undefined || repositories.index !== undefined;
    return { nextId: this.nextId, integrations: [...this.byId.values()], ...(any ? { repositories } : {}) };
  }

  /**
   * Replaces the whole content; records are inserted in id order so list() stays ascending. `bytes` is
   * snapshotBytes(snapshot) when the caller has it already (an import is measured before it is admitted).
   */
  restore(snapshot: StoreSnapshot, bytes = snapshotBytes(snapshot)): void {
    this.clear();
    for (const record of [...snapshot.integrations].sort((a, b) => a.id - b.id)) this.insert(record);
    if (snapshot.repositories) this.repositories.restore(snapshot.repositories);
    this.nextId = Math.max(this.nextId, snapshot.nextId);
    this.heldBytes = bytes - this.repositories.bytes;
  }
}
