// The repositories of one session, beside its integrations (IntegrationStore owns one): discovered and
// standalone repositories, the session's host catalogue and its indexing queue. Ids come from the
// integration store's one sequence (claimId), so /repository/{id}/disable names one thing.
import type { HostCatalogue } from './host-catalogue.js';
import type { QueueSnapshot } from './reindex-queue.js';
import type { StoredRepository } from './repository-model.js';

// What a value counts against --max-state-bytes: the UTF-8 length of its JSON. An object's is measured once: the
// records (frozen), the catalogue (frozen) and the queue snapshots are never changed in place, and the queue, a large
// value replaced whole by most changes, was measured four times per change (growth, and the store before and after).
const measuredBytes = new WeakMap<object, number>();
export const jsonBytes = (value: unknown): number => {
  if (value === undefined) return 0;
  if (typeof value !== 'object' || value === null) return Buffer.byteLength(JSON.stringify(value), 'utf8');
  let bytes = measuredBytes.get(value);
  if (bytes === undefined) measuredBytes.set(value, (bytes = Buffer.byteLength(JSON.stringify(value), 'utf8')));
  return bytes;
};

/** What a repository counts against --max-state-bytes: the UTF-8 length of its JSON (records are frozen). */
export const repositoryBytes = (record: StoredRepository): number => jsonBytes(record);

export interface RepositorySnapshot {
  readonly repositories: readonly StoredRepository[];
  /** The session's catalogue; absent = the default one. */
  readonly hosts?: HostCatalogue;
  /** The session's indexing queue; absent = empty. */
  readonly index?: QueueSnapshot;
}

export class RepositoryStore {
  private readonly byId = new Map<number, StoredRepository>();
  private held = 0;
  private maxId = 0;
  private hostsValue: HostCatalogue | undefined;
  private indexValue: QueueSnapshot | undefined;

  constructor(private readonly claimId: (id: number) => void) {}

  get size(): number { return this.byId.size; }
  get bytes(): number { return this.held + jsonBytes(this.hostsValue) + jsonBytes(this.indexValue); }
  get hosts(): HostCatalogue | undefined { return this.hostsValue; }
  get index(): QueueSnapshot | undefined { return this.indexValue; }

  get(id: number): StoredRepository | undefined { return this.byId.get(id); }

  growthOf(record: StoredRepository): number {
    const old = this.byId.get(record.id);
    return repositoryBytes(record) - (old ? repositoryBytes(old) : 0);
  }

  put(record: StoredRepository): StoredRepository {
    this.held += this.growthOf(record);
    Object.freeze(record.fields);
    const outOfOrder = !this.byId.has(record.id) && record.id < this.maxId;
    this.maxId = Math.max(this.maxId, record.id);
    this.byId.set(record.id, Object.freeze(record));
    // Ids only go up, except from an import: then the list is rebuilt in id order.
    if (outOfOrder) this.sort();
    this.claimId(record.id);
    return record;
  }

  remove(id: number): boolean {
    const old = this.byId.get(id);
    if (old) this.held -= repositoryBytes(old);
    return this.byId.delete(id);
  }

  setHosts(catalogue: HostCatalogue | undefined): void { this.hostsValue = catalogue; }
  setIndex(queue: QueueSnapshot | undefined): void { this.indexValue = queue; }

  /** Every repository, ascending by id. */
  records(): StoredRepository[] { return [...this.byId.values()]; }

  /** The repositories an integration discovered. O(n): lists and cascades are O(n) anyway. */
  childrenOf(integrationId: number): StoredRepository[] {
    return this.records().filter((r) => r.trackedFolderId === integrationId);
  }

  clear(): void {
    this.byId.clear();
    this.held = 0;
    this.maxId = 0;
    this.hostsValue = undefined;
    this.indexValue = undefined;
  }

  snapshot(): RepositorySnapshot {
    return { repositories: this.records(), ...(this.hostsValue ? { hosts: this.hostsValue } : {}), ...(this.indexValue ? { index: this.indexValue } : {}) };
  }

  restore(snapshot: RepositorySnapshot): void {
    this.clear();
    for (const record of snapshot.repositories) this.put(record);
    this.hostsValue = snapshot.hosts;
    this.indexValue = snapshot.index;
  }

  private sort(): void {
    const sorted = [...this.byId.values()].sort((a, b) => a.id - b.id);
    this.byId.clear();
    for (const r of sorted) this.byId.set(r.id, r);
  }
}
