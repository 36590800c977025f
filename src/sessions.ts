// One integration store per mock session (the X-Mock-Session header); no header → the default store.
import { IntegrationStore } from './store.js';

export const DEFAULT_SESSION = 'default';
export const SESSION_HEADER = 'x-mock-session';
const SESSION_NAME = /^[A-Za-z0-9._~-]{1,64}$/;

export class SessionStores {
  private readonly stores = new Map<string, IntegrationStore>([[DEFAULT_SESSION, new IntegrationStore()]]);

  /** A valid session name from a header value, or an explanation of why it is not one. */
  static parseName(header: string | string[] | undefined): { name: string } | { problem: string } {
    if (header === undefined) return { name: DEFAULT_SESSION };
    const value = Array.isArray(header) ? header.join(',') : header;
    return SESSION_NAME.test(value) ? { name: value } : { problem: `X-Mock-Session must be 1 to 64 of A-Z a-z 0-9 . _ ~ -, got '${value.slice(0, 80)}'` };
  }

  get(name: string): IntegrationStore {
    let store = this.stores.get(name);
    if (!store) {
      store = new IntegrationStore();
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

  /** Forgets every session but the default one, which is emptied. */
  clearAll(): void {
    this.stores.clear();
    this.stores.set(DEFAULT_SESSION, new IntegrationStore());
  }
}
