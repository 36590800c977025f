// What an integration is inside gij-mock: a request with defaults applied, plus id and dates;
// and how it is shown to clients (the spec's Integration schema, without secrets).
import type { components, Writable } from './generated/openapi.js';
import type { JsonSchema, OpenApiDocument } from './spec.js';
import { typeRule } from './validation-messages.js';

export type IntegrationType = components['schemas']['IntegrationType'];
export type IntegrationRequest = Writable<components['schemas']['IntegrationRequest']>;
export type IntegrationUpdate = Writable<components['schemas']['IntegrationUpdateRequest']>;
export type Integration = components['schemas']['Integration'];
export type StoredFields = IntegrationRequest & { type: IntegrationType };

export interface StoredIntegration {
  readonly id: number;
  readonly initDate: number;
  readonly lastIndexedDate?: number;
  /** Everything the client set, after defaults and derivations; secrets included, never shown. */
  readonly fields: Readonly<StoredFields>;
}

export interface IntegrationRules {
  /** Spec defaults of the settable fields (IntegrationSettings). */
  readonly defaults: Readonly<Partial<IntegrationRequest>>;
  /** Per type, the origin stored when a cloud type leaves it out (spec `x-default-origin`). */
  readonly defaultOrigin: (type: IntegrationType, awsRegion: string | undefined) => string | undefined;
}

export function rulesFromSpec(spec: OpenApiDocument): IntegrationRules {
  const props = (spec.components.schemas.IntegrationSettings?.properties ?? {}) as Record<string, JsonSchema>;
  const defaults = Object.fromEntries(Object.entries(props).filter(([, s]) => 'default' in s).map(([k, s]) => [k, s.default]));
  return Object.freeze({
    defaults: Object.freeze(defaults),
    defaultOrigin: (type: IntegrationType, awsRegion: string | undefined) => {
      const template = typeRule(spec, type)?.['x-default-origin'];
      return typeof template === 'string' ? template.replace('{awsRegion}', awsRegion ?? 'us-east-1') : undefined;
    },
  });
}

/** Fills what the client left out or empty: origin of cloud types, displayName, the project id set. */
export function derive(fields: StoredFields, rules: IntegrationRules): StoredFields {
  const origin = fields.origin ? fields.origin : (rules.defaultOrigin(fields.type, fields.awsRegion) ?? '');
  const webHost = origin.replace(/^https:\/\/api\.github\.com\/?$/, 'https://github.com');
  const displayName = fields.displayName
    ? fields.displayName
    : fields.type === 'FILESPACE' ? origin : `${webHost.replace(/\/+$/, '')}/*`;
  const projectMappingIds = [...new Set(fields.projectMappingIds ?? [])].sort((a, b) => a - b);
  // Object.assign, not spreads: a spread of a spread-built object gets a V8 hidden class of its own,
  // ~550 bytes per stored integration (bench/results.md).
  return Object.assign({}, fields, { origin, displayName, projectMappingIds });
}

/** The new integration for an add request. */
export function createIntegration(body: IntegrationRequest, id: number, now: number, rules: IntegrationRules): StoredIntegration {
  return { id, initDate: now, fields: derive(Object.assign({}, rules.defaults, body) as StoredFields, rules) };
}

/** Fields of an integration read back that the server sets: an update may send them back unchanged. */
export const READ_BACK_FIELDS = ['initDate', 'lastIndexedDate', 'root', 'realRoot', 'absoluteRoot'] as const;

/**
 * The integration after a partial update: only the fields present change (`type`, `integrationType`,
 * `id` and the read-back fields excluded).
 */
export function mergeUpdate(current: StoredIntegration, patch: IntegrationUpdate, rules: IntegrationRules): StoredIntegration {
  const { type: _type, integrationType: _integrationType, id: _id, initDate: _i, lastIndexedDate: _l, root: _r, realRoot: _rr, absoluteRoot: _a, ...changes } = patch;
  return { ...current, fields: derive(Object.assign({}, current.fields, changes) as StoredFields, rules) };
}

const FILESPACE_ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

/**
 * A FILESPACE origin's folder before its first wildcard segment (`/repos/a*` → `/repos/`), or the whole origin
 * when it has no wildcard or the wildcard is in its first segment. Two index scans, linear in the origin's length:
 * it replaced `search(/[^\\/]*[*?][\s\S]*$/)`, which backtracked over every start position (quadratic: 2,000 chars
 * with no wildcard took ~6 ms per item, 24 s for a list of 10,000; issue 19).
 */
export function filespaceRoot(origin: string): string {
  const wildcard = origin.search(/[*?]/);
  if (wildcard === -1) return origin;
  const segmentStart = Math.max(origin.lastIndexOf('/', wildcard), origin.lastIndexOf('\\', wildcard)) + 1;
  return origin.slice(0, segmentStart) || origin;
}

/** The client's view: the spec's Integration, in the vendor's field order, optional fields only when set. */
export function toIntegration(record: StoredIntegration): Integration {
  const f = record.fields;
  const optional = <K extends keyof Integration>(key: K, value: Integration[K] | undefined) =>
    value === undefined ? {} : ({ [key]: value } as Pick<Integration, K>);
  const root = f.type === 'FILESPACE' ? filespaceRoot(f.origin!) : undefined;
  return {
    id: record.id,
    displayName: f.displayName!,
    origin: f.origin!,
    disabled: f.disabled!,
    sendCommitEmails: f.sendCommitEmails!,
    maxMinsToCommitEmail: f.maxMinsToCommitEmail!,
    global: f.global!,
    initDate: record.initDate,
    ...optional('lastIndexedDate', record.lastIndexedDate),
    revisionIndexing: f.revisionIndexing!,
    gitViewerEnabled: f.gitViewerEnabled!,
    disableSslVerification: f.disableSslVerification!,
    smartCommitsEnabled: f.smartCommitsEnabled!,
    ...optional('tagsFilter', f.tagsFilter),
    ...optional('prHideFilter', f.prHideFilter),
    requireUserPat: f.requireUserPat!,
    projectMappingIds: f.global ? [] : [...(f.projectMappingIds ?? [])],
    integrationType: f.type,
    ...optional('showAllTags', f.showAllTags),
    sourcesDiffViewEnabled: f.sourcesDiffViewEnabled!,
    refSpecNotes: f.refSpecNotes!,
    refSpecChanges: f.refSpecChanges!,
    ...optional('apiPath', f.apiPath),
    ...optional('apiFilter', f.apiFilter),
    trustFolderStat: f.trustFolderStat!,
    ...(root === undefined ? {} : { root, realRoot: root, absoluteRoot: FILESPACE_ABSOLUTE.test(f.origin!) }),
  };
}
