// Adding (or rescanning) an integration discovers its repositories: the host's list from the catalogue, filtered
// by the integration's apiFilter (JMESPath, the `jmespath` library: never a parser of our own), each made a
// repository with trackedFolderId = the integration's id, the host's group, the type's web-link formats and
// realRoot `<id>_<name>`. Credentials are inherited from the integration, not copied (the plugin's rule).
import jmespath from 'jmespath';
import { filespaceRoot, type IntegrationType, type StoredIntegration } from './integration-model.js';
import { hostRepositories, type HostCatalogue, type HostRepository } from './host-catalogue.js';
import { REPOSITORY_DEFAULTS, type RepositoryFields, type StoredRepository } from './repository-model.js';

/** The host's list as its API shows it to the filter: the catalogue entry plus the names a filter commonly uses. */
export function hostApiItem(repo: HostRepository, cloneUrl: string): Record<string, unknown> {
  return { ...repo, full_name: `${repo.group}/${repo.name}`, default_branch: repo.mainBranch ?? 'master', clone_url: cloneUrl };
}

/** Why an apiFilter is not JMESPath (the lexer's or parser's sentence), or undefined when it parses. */
export function apiFilterProblem(filter: string): string | undefined {
  try {
    // Evaluated on an empty list: parse errors are thrown before any evaluation, and no function sees a wrong type.
    jmespath.search([], filter);
    return undefined;
  } catch (e) {
    const name = (e as Error).name;
    return name === 'LexerError' || name === 'ParserError' ? `apiFilter is not a JMESPath expression: ${(e as Error).message}` : undefined;
  }
}

/**
 * The items the filter keeps. Mock rule: the result must be a list of the host's items (a projection such as
 * `[?contains(name, 'long')]`); anything else (a field, a count, a runtime type error) keeps none.
 */
export function applyApiFilter<T extends Record<string, unknown>>(items: readonly T[], filter: string | undefined): T[] {
  if (!filter) return [...items];
  let result: unknown;
  try { result = jmespath.search(items, filter); } catch { return []; }
  if (!Array.isArray(result)) return [];
  const kept = new Set(result);
  // A filter that copies objects (e.g. `[*].{name: name}`) keeps those whose name it returned.
  const names = new Set(result.map((r) => (r && typeof r === 'object' ? (r as { name?: unknown }).name : undefined)));
  return items.filter((item) => kept.has(item) || names.has(item.name));
}

interface WebLinks {
  readonly webLinkType: string;
  readonly formats?: (base: string) => Pick<RepositoryFields, 'changesetFormat' | 'fileAddedFormat' | 'fileModifiedFormat' | 'fileDeletedFormat' | 'mergeRequestFormat' | 'branchLinkFormat'>;
  readonly pullRequests?: 'PULL_REQUESTS_GROUP' | 'MERGE_REQUESTS_GROUP';
}

const files = (base: string, anchor: string) => ({ fileAddedFormat: `${base}/commit/\${rev}#diff-${anchor}`, fileModifiedFormat: `${base}/commit/\${rev}#diff-${anchor}`, fileDeletedFormat: `${base}/commit/\${rev}#diff-${anchor}` });
const GITHUB: WebLinks = {
  webLinkType: 'github', pullRequests: 'PULL_REQUESTS_GROUP',
  formats: (b) => ({ changesetFormat: `${b}/commit/\${rev}`, ...files(b, '${sha256path}'), mergeRequestFormat: `${b}/pull/\${mergereqId}`, branchLinkFormat: `${b}/tree/\${branch}` }),
};
const GITLAB: WebLinks = {
  webLinkType: 'gitlab', pullRequests: 'MERGE_REQUESTS_GROUP',
  formats: (b) => ({ changesetFormat: `${b}/commit/\${rev}`, ...files(b, '${num}'), mergeRequestFormat: `${b}/merge_requests/\${mergereqId}`, branchLinkFormat: `${b}/tree/\${branch}` }),
};
// Mock rule: the vendor shows no Azure example; these follow Azure Repos' own URL forms.
const AZURE: WebLinks = {
  webLinkType: 'vsts', pullRequests: 'PULL_REQUESTS_GROUP',
  formats: (b) => ({ changesetFormat: `${b}/commit/\${rev}`, fileAddedFormat: `${b}/commit/\${rev}?path=\${path}`, fileModifiedFormat: `${b}/commit/\${rev}?path=\${path}`, fileDeletedFormat: `${b}/commit/\${rev}?path=\${path}`, mergeRequestFormat: `${b}/pullrequest/\${mergereqId}`, branchLinkFormat: `${b}?version=GB\${branch}` }),
};
const NONE: WebLinks = { webLinkType: '' };

/** Per type: the web links its repositories get and whether the host has a pull-request API. */
export const TYPE_LINKS: Readonly<Record<IntegrationType, WebLinks>> = {
  GITHUB, GITHUB_SERVER: GITHUB, GITLAB, GITLAB_SERVER: GITLAB, GITLAB_SERVER_LEGACY: GITLAB,
  AZURE_DEVOPS: AZURE, VSTS: AZURE, AZURE, TFS_SERVER: AZURE, FILESPACE: NONE, AWS: NONE, GERRIT: NONE,
};

/** The host's web address for an integration origin: no API path, no wildcard, api.github.com as github.com. */
export function webBase(origin: string): string {
  return origin.replace(/\/\*$/, '').replace(/\/+$/, '').replace(/\/api\/v[34]$/, '').replace('://api.github.com', '://github.com');
}

/** A name inside a folder: a pattern without a wildcard (`/repos`) is the folder itself, so a separator goes between. */
function inFolder(folder: string, name: string): string {
  if (/[\\/]$/.test(folder)) return `${folder}${name}`;
  return `${folder}${folder.includes('\\') && !folder.includes('/') ? '\\' : '/'}${name}`;
}

/** Clone URL and web address of one host repository. */
export function repositoryUrls(integration: StoredIntegration, repo: HostRepository): { origin: string; web?: string } {
  const f = integration.fields;
  const base = webBase(f.origin ?? '');
  switch (f.type) {
    case 'FILESPACE': return { origin: inFolder(filespaceRoot(f.origin ?? '/'), repo.name) };
    case 'AWS': return { origin: `https://git-codecommit.${f.awsRegion ?? 'us-east-1'}.amazonaws.com/v1/repos/${repo.name}` };
    case 'GERRIT': return { origin: `${base}/${repo.name}` };
    case 'AZURE_DEVOPS': case 'VSTS': case 'AZURE': case 'TFS_SERVER':
      return { origin: `${base}/${repo.group}/_git/${repo.name}`, web: `${base}/${repo.group}/_git/${repo.name}` };
    default: return { origin: `${base}/${repo.group}/${repo.name}.git`, web: `${base}/${repo.group}/${repo.name}` };
  }
}

/** Settings a discovered repository takes from its integration (the spec's list; the rest are REPOSITORY_DEFAULTS). */
const INHERITED = [
  'sendCommitEmails', 'maxMinsToCommitEmail', 'global', 'projectMappingIds', 'revisionIndexing', 'gitViewerEnabled',
  'disableSslVerification', 'smartCommitsEnabled', 'requireUserPat', 'sourcesDiffViewEnabled', 'refSpecNotes',
  'refSpecChanges', 'trustFolderStat',
] as const;

/** The repository for one host repository of an integration (no secret: credentials stay the integration's). */
export function discoveredRepository(integration: StoredIntegration, repo: HostRepository, id: number, now: number): StoredRepository {
  const f = integration.fields as Record<string, unknown>;
  const links = TYPE_LINKS[integration.fields.type];
  const { origin, web } = repositoryUrls(integration, repo);
  const inherited = Object.fromEntries(INHERITED.filter((k) => f[k] !== undefined).map((k) => [k, f[k]]));
  const fields: RepositoryFields = Object.assign({}, REPOSITORY_DEFAULTS, inherited, {
    displayName: repo.name, origin, mainBranch: repo.mainBranch ?? 'master', realRoot: `${id}_${repo.name}`,
    viewFormat: '', ...(links.webLinkType ? { webLinkType: links.webLinkType } : {}), ...(web && links.formats ? links.formats(web) : {}),
  });
  return {
    id, initDate: now, trackedFolderId: integration.id, integrationType: integration.fields.type, group: repo.group,
    supportsBranchCreationApi: links.pullRequests !== undefined, ...(links.pullRequests ? { supportsPullRequestApi: links.pullRequests } : {}),
    state: 'QUEUED', fields,
  };
}

/** What the host has after the filter, in catalogue order. */
export function scanHost(integration: StoredIntegration, catalogue: HostCatalogue): HostRepository[] {
  const f = integration.fields;
  const host = hostRepositories(catalogue, f.type, f.origin ?? '');
  const items = host.map((repo) => ({ item: hostApiItem(repo, repositoryUrls(integration, repo).origin), repo }));
  const kept = new Set(applyApiFilter(items.map((i) => i.item), f.apiFilter));
  return items.filter((i) => kept.has(i.item)).map((i) => i.repo);
}

/** The repositories a new integration discovers, ids from `firstId` upwards (one sequence with integrations). */
export function discover(integration: StoredIntegration, catalogue: HostCatalogue, firstId: number, now: number): StoredRepository[] {
  return scanHost(integration, catalogue).map((repo, i) => discoveredRepository(integration, repo, firstId + i, now));
}

/**
 * A rescan (reindex of the integration): host repositories it has no child for are added; children whose host
 * repository is gone are returned for removal (the plugin schedules their removal).
 */
export function rescan(integration: StoredIntegration, children: readonly StoredRepository[], catalogue: HostCatalogue, firstId: number, now: number): { added: StoredRepository[]; vanished: StoredRepository[] } {
  const host = scanHost(integration, catalogue);
  // A child's host name is in its realRoot `<id>_<name>`, which nothing can change on a nested repository.
  const key = (group: string | undefined, name: string) => `${group ?? ''}/${name}`;
  const childKey = (c: StoredRepository) => key(c.group, (c.fields.realRoot ?? '').slice(String(c.id).length + 1));
  const have = new Set(children.map(childKey));
  const onHost = new Set(host.map((r) => key(r.group, r.name)));
  const added = host.filter((r) => !have.has(key(r.group, r.name))).map((repo, i) => discoveredRepository(integration, repo, firstId + i, now));
  const vanished = children.filter((c) => !c.removalQueued && !onHost.has(childKey(c)));
  return { added, vanished };
}
