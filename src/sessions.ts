// One integration store per mock session (the X-Mock-Session header); no header → the default store.
import { IntegrationStore, type StoreSnapshot } from './store.js';

export const DEFAULT_SESSION = 'default';
export const SESSION_HEADER = 'x-mock-session';
const SESSION_NAME = /^[A-Za-z0-9._~-]{1,64}$/;

export class SessionStores {
  private readonly stores = new Map<string, IntegrationStore>();

  /** `seed` fills every new or reset store (empty when absent). */
  constructor(private readonly seed: () => StoreSnapshot | undefined = () => undefined) {
    this.stores.set(DEFAULT_SESSION, this.fresh());
  }

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

  get(name: string): IntegrationStore {
    let store = this.stores.get(name);
    if (!store) {
      store = this.fresh();
      this.stores.set(name, store);
    }
    return store;
  }

  names(): string[] {
    return [...this.stores.keys()];
  }

  entries(): Array<[string, IntegrationStore]> {
    return [...this.stores.entries()];
  }

  /** Empties one session's store and reloads the seed. */
  reset(name: string): void {
    this.stores.set(name, this.fresh());
  }

  /** Forgets every session; the default one starts again from the seed. */
  clearAll(): void {
    this.stores.clear();
    this.stores.set(DEFAULT_SESSION, this.fresh());
  }
}
