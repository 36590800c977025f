// The integration store: plain values in and out, no Express. O(1) get/add/update/remove, O(n) list.
import { type Integration, type StoredIntegration, toIntegration } from './integration-model.js';

/** Ids live in 1…MAX_ID (the spec's int32 range); a store whose next id is MAX_ID + 1 is full. */
export const MAX_ID = 2147483647;

export interface StoreSnapshot {
  nextId: number;
  integrations: StoredIntegration[];
}

export class IntegrationStore {
  private readonly byId = new Map<number, StoredIntegration>();
  private nextId = 1;

  get size(): number {
    return this.byId.size;
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
  }

  snapshot(): StoreSnapshot {
    return { nextId: this.nextId, integrations: [...this.byId.values()] };
  }

  /** Replaces the whole content; records are inserted in id order so list() stays ascending. */
  restore(snapshot: StoreSnapshot): void {
    this.byId.clear();
    this.nextId = 1;
    for (const record of [...snapshot.integrations].sort((a, b) => a.id - b.id)) this.put(record);
    this.nextId = Math.max(this.nextId, snapshot.nextId);
  }
}
