// Fields the server derives (a discovered repository's origin and web links from its integration's origin and the
// host's group and name; a default displayName and realRoot from an origin) fit the spec's bounds at their longest:
// the answer validates, what is read back is a valid update, and the stored fields replay from the state log.
import { describe, expect, it } from 'vitest';
import { createIntegration, rulesFromSpec, type IntegrationRequest } from '../../src/integration-model.js';
import { discover } from '../../src/discovery.js';
import type { HostCatalogue, HostRepository } from '../../src/host-catalogue.js';
import { createRepository, toRepository, type StoredRepository } from '../../src/repository-model.js';
import { toStateRepository } from '../../src/mock/repository-state.js';
import { loadSpec, SpecSchemas } from '../../src/spec.js';

const spec = loadSpec();
const rules = rulesFromSpec(spec);
const answerRule = new SpecSchemas(spec, 'response').validator('/components/schemas/Repository');
const requestSchemas = new SpecSchemas(spec, 'request');
const storedRule = requestSchemas.validator('/components/schemas/RepositorySettings');
const updateRule = requestSchemas.validator('/components/schemas/RepositoryUpdateRequest');
const SERVER_KEYS = ['id', 'initDate', 'lastIndexedDate', 'trackedFolderId', 'integrationType', 'group', 'supportsBranchCreationApi', 'supportsPullRequestApi', 'removalQueued', 'state'];

/** The longest host repository a catalogue admits: five group segments of 100 and a name of 100. */
const longest: HostRepository = { name: 'n'.repeat(100), group: Array.from({ length: 5 }, (_, i) => String(i).repeat(100)).join('/'), mainBranch: 'b'.repeat(250) };
const types = spec.components.schemas.IntegrationType!.enum as IntegrationRequest['type'][];
/** A 2000-character origin of the form the type accepts. */
const longOrigin = (type: string) => (type === 'FILESPACE' ? `/${'p'.repeat(1997)}/*` : `https://h.example/${'p'.repeat(2000 - 'https://h.example/'.length)}`);

function problems(record: StoredRepository): string[] {
  const out: string[] = [];
  const shown = toRepository(record, false);
  if (!answerRule(shown)) out.push(`answer: ${JSON.stringify(answerRule.errors?.map((e) => `${e.instancePath} ${e.message}`))}`);
  if (!updateRule(shown)) out.push(`read back as update: ${JSON.stringify(updateRule.errors?.map((e) => `${e.instancePath} ${e.message}`))}`);
  const stored = Object.fromEntries(Object.entries(toStateRepository(record)).filter(([k]) => !SERVER_KEYS.includes(k)));
  if (!storedRule(stored)) out.push(`state entry: ${JSON.stringify(storedRule.errors?.map((e) => `${e.instancePath} ${e.message}`))}`);
  return out;
}

describe('derived repository fields at their longest fit the spec', () => {
  it.each(types)('%s: a 2000-character integration origin and the longest catalogue group and name give a repository that validates as answer, update and state entry', (type) => {
    const integration = createIntegration({ type, origin: longOrigin(type), pat: 'p', username: 'u', password: 'p', awsRegion: 'us-east-1', tfsCollection: 'c' } as IntegrationRequest, 2_147_483_000, 0, rules);
    const catalogue: HostCatalogue = { byOrigin: {}, byType: { [type]: [longest] } };
    const [repo] = discover(integration, catalogue, 2_147_483_001, 0);
    expect(repo).toBeDefined();
    expect(problems(repo!)).toEqual([]);
  });
  it('a standalone repository whose 2700-character origin is one segment gets a displayName and realRoot cut to 2000 characters', () => {
    const record = createRepository({ origin: '😀'.repeat(2700) }, 2_147_483_647, 0);
    const shown = toRepository(record, false);
    expect([...shown.displayName]).toHaveLength(2000);
    expect([...shown.realRoot]).toHaveLength(2000);
    expect(shown.realRoot.startsWith('2147483647_😀')).toBe(true);
    expect(problems(record)).toEqual([]);
  });
  it('a standalone repository with a 2000-character realRoot under the Jira home is read back as a valid update', () => {
    expect(problems(createRepository({ origin: 'https://h/r.git', realRoot: 'r'.repeat(2000), absoluteRoot: false }, 1, 0))).toEqual([]);
  });
});

describe('FILESPACE repository origins', () => {
  it.each([
    ['/jira/repos/*', '/jira/repos/alpha'],
    ['/jira/repos', '/jira/repos/alpha'],
    ['/jira/repos/', '/jira/repos/alpha'],
    ['D:\\tmp\\*', 'D:\\tmp\\alpha'],
    ['D:\\tmp', 'D:\\tmp\\alpha'],
  ])('a tracked folder %s discovers alpha at %s', (origin, expected) => {
    const integration = createIntegration({ type: 'FILESPACE', origin } as IntegrationRequest, 1, 0, rules);
    const [repo] = discover(integration, { byOrigin: {}, byType: { FILESPACE: [{ name: 'alpha', group: 'repos' }] } }, 2, 0);
    expect(repo!.fields.origin).toBe(expected);
  });
});
