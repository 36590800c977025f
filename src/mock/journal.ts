// The request journal: the last N API requests, secrets replaced by "***". A ring buffer, O(1) per request.
import type { components } from '../generated/mock-admin.js';

export const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'pat', 'username']);

/** An entry as GET /__mock/requests answers it: the shape openapi/mock-admin.yaml defines. */
export type JournalEntry = components['schemas']['JournalEntry'];

/**
 * Deep copy with every secret field's value replaced by "***". With `known`, the value of any key not
 * in it is masked too: an unknown field is often a misspelt secret (`passwd`).
 */
export function redactSecrets(value: unknown, known?: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, known));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_FIELDS.has(key) || (known && !known.has(key)) ? '***' : redactSecrets(v, known);
  return out;
}

/** What add() takes: the time as epoch milliseconds, formatted only when the journal is read. */
export type JournalInput = Omit<JournalEntry, 'seq' | 'time'> & { timeMs: number };
type Kept = JournalInput & { seq: number };

export class Journal {
  private readonly ring: Kept[] = [];
  private next = 0;
  private seq = 0;

  constructor(readonly limit: number) {}

  add(entry: JournalInput): void {
    if (this.limit === 0) return;
    const kept = Object.assign(entry, { seq: ++this.seq });
    if (this.ring.length < this.limit) this.ring.push(kept);
    else this.ring[this.next] = kept;
    this.next = (this.next + 1) % this.limit;
  }

  /** Oldest first, optionally filtered. */
  list(filter: { operationId?: string; session?: string } = {}): JournalEntry[] {
    return this.kept()
      .filter((e) => (!filter.operationId || e.operationId === filter.operationId) && (!filter.session || e.session === filter.session))
      .map(({ timeMs, seq, ...rest }) => ({ seq, time: new Date(timeMs).toISOString(), ...rest }));
  }

  private kept(): Kept[] {
    return this.ring.length < this.limit ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  clear(session?: string): void {
    const keep = session ? this.kept().filter((e) => e.session !== session) : [];
    this.ring.length = 0;
    this.next = 0;
    for (const e of keep) this.ring.push(e);
    this.next = this.ring.length % Math.max(1, this.limit);
  }

  get size(): number {
    return this.ring.length;
  }
}
