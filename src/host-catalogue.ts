// What a git host "has": the deterministic catalogue discovery reads (PUT /__mock/hosts or the state document's
// `hosts`). Per origin (an integration whose origin matches) or else per type; a small default so that a fresh
// server shows a realistic list. Entries may carry any other JSON fields: `apiFilter` (JMESPath) sees them.
import type { IntegrationType } from './integration-model.js';

export interface HostRepository {
  readonly name: string;
  readonly group: string;
  /** The host's default branch (`master` when absent). */
  readonly mainBranch?: string;
  /** Mock rule: indexing this repository ends in ERROR with this text (the fault a test sets through the catalogue). */
  readonly indexError?: string;
  /** Anything else the host API would show (topics, archived, visibility…), for apiFilter. */
  readonly [extra: string]: unknown;
}

export interface HostCatalogue {
  /** Normalised origin (see originKey) → what that host has. Checked before byType. */
  readonly byOrigin: Readonly<Record<string, readonly HostRepository[]>>;
  readonly byType: Readonly<Partial<Record<IntegrationType, readonly HostRepository[]>>>;
}

/** Bounds of a catalogue (README "Bounds"): hosts and repositories per host. */
export const MAX_CATALOGUE_HOSTS = 100;
export const MAX_HOST_REPOSITORIES = 1000;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const GROUP = /^[A-Za-z0-9._-]{1,100}(\/[A-Za-z0-9._-]{1,100}){0,4}$/;
const TYPES: readonly IntegrationType[] = ['GITHUB', 'GITHUB_SERVER', 'GITLAB', 'GITLAB_SERVER', 'GITLAB_SERVER_LEGACY', 'FILESPACE', 'AZURE_DEVOPS', 'VSTS', 'AZURE', 'TFS_SERVER', 'AWS', 'GERRIT'];

const reposOf = (group: string, names: string[], mainBranch = 'master'): HostRepository[] => names.map((name) => ({ name, group, mainBranch }));

/** The default: the R1 example's TestOrg on GitHub, the R3 example's acmecorp on GitLab, a few per other type. */
export const DEFAULT_CATALOGUE: HostCatalogue = Object.freeze({
  byOrigin: {},
  byType: {
    GITHUB: [{ name: 'test-repo', group: 'TestOrg', mainBranch: 'master' }, { name: 'acme', group: 'TestOrg', mainBranch: 'main' }, { name: 'applanix-site-viewer', group: 'TestOrg', mainBranch: 'master' }],
    GITHUB_SERVER: reposOf('platform', ['api', 'web', 'infra'], 'main'),
    GITLAB: reposOf('wileycoyote', ['acmecorp', 'roadrunner']),
    GITLAB_SERVER: reposOf('platform', ['api', 'web'], 'main'),
    GITLAB_SERVER_LEGACY: reposOf('platform', ['api', 'web']),
    FILESPACE: reposOf('repos', ['alpha', 'beta']),
    AZURE_DEVOPS: reposOf('contoso', ['backend', 'frontend'], 'main'),
    VSTS: reposOf('contoso', ['backend', 'frontend']),
    AZURE: reposOf('contoso', ['backend', 'frontend'], 'main'),
    TFS_SERVER: reposOf('DefaultCollection', ['backend', 'frontend']),
    AWS: reposOf('codecommit', ['service-a', 'service-b'], 'main'),
    GERRIT: reposOf('gerrit', ['core', 'plugins']),
  },
});

/** How origins are compared: lower-case, no trailing slashes or `/*`, no `.git`, api.github.com as github.com. */
export function originKey(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/\*$/, '').replace(/\/+$/, '').replace(/\.git$/, '').replace('://api.github.com', '://github.com');
}

/** What the host at this origin has: the origin's entry, else the type's, else nothing. */
export function hostRepositories(catalogue: HostCatalogue, type: IntegrationType, origin: string): readonly HostRepository[] {
  // Own keys only: an origin such as `constructor` must not find Object.prototype's.
  const key = originKey(origin);
  if (Object.hasOwn(catalogue.byOrigin, key)) return catalogue.byOrigin[key]!;
  return Object.hasOwn(catalogue.byType, type) ? catalogue.byType[type]! : [];
}

/** Checks a catalogue document ({byOrigin?, byType?}); every problem is named; the result is frozen. */
export function parseCatalogue(doc: unknown): { catalogue: HostCatalogue } | { problems: string[] } {
  const problems: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(doc)) return { problems: ['the host catalogue must be an object with byOrigin and/or byType'] };
  for (const key of Object.keys(doc)) if (key !== 'byOrigin' && key !== 'byType') problems.push(`${key} is not a catalogue section (byOrigin, byType)`);
  const sections = { byOrigin: doc.byOrigin ?? {}, byType: doc.byType ?? {} };
  // No prototype: a host named `__proto__` is an entry like any other.
  const out: { byOrigin: Record<string, HostRepository[]>; byType: Record<string, HostRepository[]> } = { byOrigin: Object.create(null), byType: Object.create(null) };
  let hosts = 0;
  for (const [section, value] of Object.entries(sections) as Array<['byOrigin' | 'byType', unknown]>) {
    if (!isObject(value)) { problems.push(`${section} must be an object`); continue; }
    for (const [host, list] of Object.entries(value)) {
      const where = `${section}[${JSON.stringify(host.slice(0, 100))}]`;
      if (++hosts > MAX_CATALOGUE_HOSTS) { problems.push(`the catalogue holds at most ${MAX_CATALOGUE_HOSTS} hosts`); break; }
      if (section === 'byType' && !TYPES.includes(host as IntegrationType)) { problems.push(`${where}: not an integration type (${TYPES.join(', ')})`); continue; }
      if (!Array.isArray(list)) { problems.push(`${where} must be an array of {name, group}`); continue; }
      if (list.length > MAX_HOST_REPOSITORIES) { problems.push(`${where} has ${list.length} repositories; a host holds at most ${MAX_HOST_REPOSITORIES}`); continue; }
      const names = new Set<string>();
      list.forEach((entry: unknown, i) => {
        const at = `${where}[${i}]`;
        if (!isObject(entry)) return void problems.push(`${at} must be an object`);
        if (typeof entry.name !== 'string' || !NAME.test(entry.name)) problems.push(`${at}.name must be 1 to 100 of A-Z a-z 0-9 . _ -`);
        if (typeof entry.group !== 'string' || !GROUP.test(entry.group)) problems.push(`${at}.group must be 1 to 5 /-separated segments of A-Z a-z 0-9 . _ -`);
        if (entry.mainBranch !== undefined && (typeof entry.mainBranch !== 'string' || entry.mainBranch.length === 0 || entry.mainBranch.length > 250)) problems.push(`${at}.mainBranch must be a branch name of 1 to 250 characters`);
        if (entry.indexError !== undefined && (typeof entry.indexError !== 'string' || entry.indexError.length === 0 || entry.indexError.length > 8192)) problems.push(`${at}.indexError must be a text of 1 to 8192 characters`);
        const key = `${String(entry.group)}/${String(entry.name)}`;
        if (names.has(key)) problems.push(`${at}: ${key} appears twice`);
        names.add(key);
      });
      out[section][section === 'byOrigin' ? originKey(host) : host] = list.map((e) => Object.freeze({ ...(e as object) }) as HostRepository);
    }
  }
  return problems.length ? { problems } : { catalogue: Object.freeze(out) as HostCatalogue };
}
