// The host catalogue's lookups see its own entries only: origins that name Object.prototype's members.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE, hostRepositories, originKey, parseCatalogue, type HostCatalogue } from '../../src/host-catalogue.js';

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('hostRepositories', () => {
  it.each(PROTOTYPE_NAMES)('an integration origin %s finds the type\'s list, not a member of Object.prototype', (origin) => {
    expect(hostRepositories(DEFAULT_CATALOGUE, 'GITLAB', origin)).toEqual(DEFAULT_CATALOGUE.byType.GITLAB);
  });
  it.each(PROTOTYPE_NAMES)('a catalogue with a host named %s serves it, and other origins do not see it', (host) => {
    const parsed = parseCatalogue(JSON.parse(`{"byOrigin": {"${host}": [{"name": "r", "group": "g"}]}}`));
    expect(parsed).toHaveProperty('catalogue');
    const { catalogue } = parsed as { catalogue: HostCatalogue };
    expect(hostRepositories(catalogue, 'GITHUB', host)).toEqual([{ name: 'r', group: 'g' }]);
    expect(hostRepositories(catalogue, 'GITHUB', 'https://elsewhere.example')).toEqual([]);
    expect(JSON.parse(JSON.stringify(catalogue)).byOrigin[originKey(host)]).toEqual([{ name: 'r', group: 'g' }]);
  });
});
