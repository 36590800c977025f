// What a repository is inside gij-mock: one an integration discovered (trackedFolderId = the integration's id)
// or one added on its own (POST /repository); how it is shown (the vendor's field order, never a secret); and
// how an update changes it (the nested-repository rules). Pure: no store, no HTTP.
import type { components } from './generated/openapi.js';
import type { IntegrationType } from './integration-model.js';

/** The client view: the spec's Repository schema. */
export type Repository = components['schemas']['Repository'];

/** Where gij-mock pretends Jira's shared home is (the vendor's Add example): `root` is `<home>/data/git-plugin/<realRoot>`. */
export const JIRA_HOME = '/opt/jira-home-shared';

/** The nested page's read-only `state`; also the last status of the repository's index task. */
export type RepositoryState = components['schemas']['RepositoryState'];

/** Fields a client may set (R2/R3 bodies), after defaults. Secrets are kept for the rules, never shown. */
export interface RepositoryFields {
  displayName: string;
  origin: string;
  mainBranch: string;
  realRoot?: string;
  absoluteRoot: boolean;
  disabled: boolean;
  enableFetches: boolean;
  sendCommitEmails: boolean;
  maxMinsToCommitEmail: number;
  global: boolean;
  projectMappingIds: number[];
  revisionIndexing: boolean;
  gitViewerEnabled: boolean;
  username?: string;
  password?: string;
  pat?: string;
  disableSslVerification: boolean;
  smartCommitsEnabled: boolean;
  webLinkType?: string;
  viewFormat?: string;
  changesetFormat?: string;
  fileAddedFormat?: string;
  fileModifiedFormat?: string;
  fileDeletedFormat?: string;
  mergeRequestFormat?: string;
  branchLinkFormat?: string;
  commitsValidationRequired: boolean;
  tagsFilter?: string;
  sourcesDiffViewEnabled: boolean;
  trustFolderStat: boolean;
  refSpecNotes: boolean;
  refSpecChanges: boolean;
  refSpecCustom?: string;
  prHideFilter?: string;
  requireUserPat: boolean;
  showAllTags: boolean;
}

export interface StoredRepository {
  readonly id: number;
  readonly initDate: number;
  /** Set by the first index that ends UPDATED (absent before, as in the R2 example). */
  readonly lastIndexedDate?: number;
  /** The integration that discovered it; absent for a standalone repository. */
  readonly trackedFolderId?: number;
  readonly integrationType?: IntegrationType;
  /** The host's organisation or group (discovered repositories only). */
  readonly group?: string;
  readonly supportsBranchCreationApi: boolean;
  readonly supportsPullRequestApi?: 'PULL_REQUESTS_GROUP' | 'MERGE_REQUESTS_GROUP';
  /** Its removal is queued on the indexing clock: shown disabled until the removal runs. */
  readonly removalQueued?: boolean;
  readonly state?: RepositoryState;
  readonly fields: Readonly<RepositoryFields>;
}

/** Defaults of R2 (fact sheet §3.2; `global` true as in every example; `refSpecNotes` true, contradiction 7). */
export const REPOSITORY_DEFAULTS: Readonly<Omit<RepositoryFields, 'displayName' | 'origin'>> = Object.freeze({
  mainBranch: 'master', absoluteRoot: false, disabled: false, enableFetches: true, sendCommitEmails: true,
  maxMinsToCommitEmail: 1440, global: true, projectMappingIds: [], revisionIndexing: true, gitViewerEnabled: true,
  disableSslVerification: false, smartCommitsEnabled: true, commitsValidationRequired: true,
  sourcesDiffViewEnabled: true, trustFolderStat: false, refSpecNotes: true, refSpecChanges: false, requireUserPat: false,
  showAllTags: true,
});

export const SECRET_REPOSITORY_FIELDS = ['username', 'password', 'pat'] as const;

/** Fields the server sets: an update never changes them (sent back as read, they are ignored). */
export const SERVER_FIELDS = [
  'id', 'initDate', 'lastIndexedDate', 'root', 'hosted', 'trackedFolderId', 'integrationType', 'group',
  'supportsBranchCreationApi', 'supportsPullRequestApi', 'state', 'refSpecHeads', 'refSpecTags', 'encryptedPassword', 'encryptedPat',
] as const;

/**
 * Update Nested Repository API: read-only on a repository inside an integration ("any defined value is ignored"),
 * plus origin, realRoot and absoluteRoot, which come from the host (contradiction 6).
 */
export const NESTED_READ_ONLY = [
  'mainBranch', 'enableFetches', 'username', 'password', 'pat', 'requireUserPat', 'disableSslVerification',
  'commitsValidationRequired', 'origin', 'realRoot', 'absoluteRoot',
] as const;

/** Spec (RepositorySettings): an empty string in these means "not set"; a field not set is left out of the answer. */
const UNSET_WHEN_EMPTY = [
  'webLinkType', 'viewFormat', 'changesetFormat', 'fileAddedFormat', 'fileModifiedFormat', 'fileDeletedFormat', 'mergeRequestFormat',
  'branchLinkFormat', 'username', 'password', 'pat',
] as const;

/** The last path segment of an origin without `.git`: the name a clone folder and a default displayName take. */
export function originName(origin: string): string {
  const segments = origin.replace(/[\\/]+$/, '').split(/[\\/:]/);
  const last = segments.at(-1) ?? '';
  return last.replace(/\.git$/i, '') || 'repository';
}

/** Spec bound (code points, as the spec counts) of a displayName and a realRoot: an origin may be longer (2700). */
const DERIVED_NAME_MAX = 2000;
/** A derived name cut to the spec's bound, so an acknowledged repository always replays from the log. */
function fitName(name: string): string {
  if (name.length <= DERIVED_NAME_MAX) return name;
  return [...name].slice(0, DERIVED_NAME_MAX).join('');
}

export function rootOf(id: number, fields: Pick<RepositoryFields, 'realRoot' | 'absoluteRoot' | 'origin'>): { realRoot: string; root: string } {
  const realRoot = fields.realRoot ?? fitName(`${id}_${originName(fields.origin)}`);
  return { realRoot, root: fields.absoluteRoot ? realRoot : `${JIRA_HOME}/data/git-plugin/${realRoot}` };
}

/** A standalone repository for an R2 body (validated by the spec before; `hosted` is internal and ignored). */
export function createRepository(body: Partial<RepositoryFields> & { origin: string }, id: number, now: number): StoredRepository {
  const { hosted: _hosted, limitGitData: _limitGitData, ...sent } = body as Partial<RepositoryFields> & { origin: string; hosted?: unknown; limitGitData?: unknown };
  for (const key of UNSET_WHEN_EMPTY) if (sent[key] === '') delete sent[key];
  const fields: RepositoryFields = Object.assign({}, REPOSITORY_DEFAULTS, sent, {
    displayName: sent.displayName || fitName(originName(sent.origin)),
    projectMappingIds: [...new Set(sent.projectMappingIds ?? [])].sort((a, b) => a - b),
  });
  fields.realRoot = rootOf(id, fields).realRoot;
  return { id, initDate: now, supportsBranchCreationApi: false, fields };
}

export interface UpdateOutcome {
  readonly record: StoredRepository;
  /** Fields sent with a value other than the current one that the rules ignore (for lenient warnings, the journal). */
  readonly ignored: readonly string[];
}

/**
 * R3: a partial merge of the fields present. Server fields are ignored; on a repository inside an integration
 * the nested page's read-only fields too; `disabled` is ignored on every repository (contradiction 5: the vendor
 * says PUT may report success without disabling; PUT /repository/{id}/disable is the way).
 */
export function mergeRepositoryUpdate(current: StoredRepository, patch: Record<string, unknown>): UpdateOutcome {
  const shown = toRepository(current, false) as unknown as Record<string, unknown>;
  const readOnly = new Set<string>([...SERVER_FIELDS, 'disabled', ...(current.trackedFolderId === undefined ? [] : NESTED_READ_ONLY)]);
  const changes: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (!readOnly.has(key)) changes[key] = value;
    else if (key !== 'id' && JSON.stringify(value) !== JSON.stringify(shown[key] ?? (current.fields as unknown as Record<string, unknown>)[key])) ignored.push(key);
  }
  const fields = Object.assign({}, current.fields, changes) as RepositoryFields;
  // Only what this update sends: a discovered repository's own `viewFormat: ""` stays as it is.
  for (const key of UNSET_WHEN_EMPTY) if (changes[key] === '') delete fields[key];
  if (Array.isArray(changes.projectMappingIds)) fields.projectMappingIds = [...new Set(fields.projectMappingIds)].sort((a, b) => a - b);
  // A realRoot sent without absoluteRoot keeps the current pairing; one of them changed recomputes nothing else.
  return { record: { ...current, fields }, ignored };
}

/** The client's view (the R1 example's field order); fields not set left out, secrets and refSpecCustom never. */
export function toRepository(record: StoredRepository, parentDisabled: boolean): Repository {
  const f = record.fields;
  const { realRoot, root } = rootOf(record.id, f);
  const out: Record<string, unknown> = { id: record.id };
  const put = (key: string, value: unknown) => { if (value !== undefined) out[key] = value; };
  put('group', record.group);
  Object.assign(out, { displayName: f.displayName, origin: f.origin, mainBranch: f.mainBranch, root, realRoot, absoluteRoot: f.absoluteRoot });
  // Git data is off while the integration is disabled or the removal is queued; the repository's own flag is kept.
  out.disabled = f.disabled || parentDisabled || record.removalQueued === true;
  Object.assign(out, {
    enableFetches: f.enableFetches, sendCommitEmails: f.sendCommitEmails, maxMinsToCommitEmail: f.maxMinsToCommitEmail,
    global: f.global, hosted: false, initDate: record.initDate,
  });
  put('lastIndexedDate', record.lastIndexedDate);
  Object.assign(out, {
    revisionIndexing: f.revisionIndexing, gitViewerEnabled: f.gitViewerEnabled, disableSslVerification: f.disableSslVerification,
    smartCommitsEnabled: f.smartCommitsEnabled,
  });
  put('webLinkType', f.webLinkType);
  put('viewFormat', f.viewFormat);
  for (const key of ['changesetFormat', 'fileAddedFormat', 'fileModifiedFormat', 'fileDeletedFormat', 'mergeRequestFormat', 'branchLinkFormat'] as const) put(key, f[key]);
  Object.assign(out, { commitsValidationRequired: f.commitsValidationRequired, requireUserPat: f.requireUserPat });
  put('tagsFilter', f.tagsFilter);
  put('prHideFilter', f.prHideFilter);
  out.projectMappingIds = f.global ? [] : [...f.projectMappingIds];
  put('trackedFolderId', record.trackedFolderId);
  put('integrationType', record.integrationType);
  out.showAllTags = f.showAllTags;
  out.supportsBranchCreationApi = record.supportsBranchCreationApi;
  put('supportsPullRequestApi', record.supportsPullRequestApi);
  Object.assign(out, {
    sourcesDiffViewEnabled: f.sourcesDiffViewEnabled, refSpecNotes: f.refSpecNotes, refSpecChanges: f.refSpecChanges,
    trustFolderStat: f.trustFolderStat,
  });
  put('state', record.state);
  return out as unknown as Repository;
}
