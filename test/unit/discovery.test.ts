// Discovery: the catalogue, apiFilter through jmespath, and the repositories an integration gets.
import { describe, expect, it } from 'vitest';
import { createIntegration, rulesFromSpec, type IntegrationRequest } from '../../src/integration-model.js';
import { apiFilterProblem, applyApiFilter, discover, rescan } from '../../src/discovery.js';
import { DEFAULT_CATALOGUE, hostRepositories, originKey, parseCatalogue, type HostCatalogue } from '../../src/host-catalogue.js';
import { toRepository } from '../../src/repository-model.js';
import { loadSpec } from '../../src/spec.js';

const rules = rulesFromSpec(loadSpec());
const integration = (id: number, body: Partial<IntegrationRequest> & { type: IntegrationRequest['type'] }) =>
  createIntegration({ pat: 'secret-pat', ...body } as IntegrationRequest, id, 1000, rules);

describe('discover on the default catalogue', () => {
  it('a GITHUB integration discovers the R1 example: TestOrg test-repo, acme, applanix-site-viewer with ids after its own', () => {
    const found = discover(integration(1, { type: 'GITHUB' }), DEFAULT_CATALOGUE, 2, 5000);
    expect(found.map((r) => [r.id, r.fields.displayName, r.group])).toEqual([[2, 'test-repo', 'TestOrg'], [3, 'acme', 'TestOrg'], [4, 'applanix-site-viewer', 'TestOrg']]);
    const shown = toRepository(found[0]!, false);
    expect(shown).toMatchObject({
      id: 2, group: 'TestOrg', origin: 'https://github.com/TestOrg/test-repo.git', realRoot: '2_test-repo', trackedFolderId: 1,
      integrationType: 'GITHUB', webLinkType: 'github', changesetFormat: 'https://github.com/TestOrg/test-repo/commit/${rev}',
      fileAddedFormat: 'https://github.com/TestOrg/test-repo/commit/${rev}#diff-${sha256path}',
      mergeRequestFormat: 'https://github.com/TestOrg/test-repo/pull/${mergereqId}', branchLinkFormat: 'https://github.com/TestOrg/test-repo/tree/${branch}',
      supportsPullRequestApi: 'PULL_REQUESTS_GROUP', initDate: 5000, disabled: false,
    });
    expect(shown).not.toHaveProperty('lastIndexedDate');
  });
  it('discovered repositories never hold or show the integration credentials', () => {
    for (const r of discover(integration(1, { type: 'GITLAB', username: 'u', password: 'pw' }), DEFAULT_CATALOGUE, 2, 0)) {
      expect(JSON.stringify(r)).not.toMatch(/secret-pat|"pw"|"u"/);
    }
  });
  it('a GITLAB integration gets the gitlab link formats of the R3 example', () => {
    const [first] = discover(integration(1, { type: 'GITLAB' }), DEFAULT_CATALOGUE, 3, 0);
    expect(toRepository(first!, false)).toMatchObject({
      origin: 'https://gitlab.com/wileycoyote/acmecorp.git', realRoot: '3_acmecorp', webLinkType: 'gitlab',
      fileAddedFormat: 'https://gitlab.com/wileycoyote/acmecorp/commit/${rev}#diff-${num}',
      mergeRequestFormat: 'https://gitlab.com/wileycoyote/acmecorp/merge_requests/${mergereqId}', supportsPullRequestApi: 'MERGE_REQUESTS_GROUP',
    });
  });
  it('settings the integration has are inherited (global false keeps its project ids)', () => {
    const [first] = discover(integration(1, { type: 'GITHUB', global: false, projectMappingIds: [10000], maxMinsToCommitEmail: 60 }), DEFAULT_CATALOGUE, 2, 0);
    expect(toRepository(first!, false)).toMatchObject({ global: false, projectMappingIds: [10000], maxMinsToCommitEmail: 60 });
  });
});

describe('apiFilter', () => {
  const items = [{ name: 'short' }, { name: 'long-one' }, { name: 'longer' }];
  it.each([
    ["[?contains(name, 'long')]", ['long-one', 'longer']],
    ["[?name == 'short']", ['short']],
    ['[*].{name: name}', ['short', 'long-one', 'longer']],
    ['length(@)', []],
    ['', ['short', 'long-one', 'longer']],
  ])('%s keeps %j', (filter, want) => {
    expect(applyApiFilter(items, filter).map((i) => i.name)).toEqual(want);
  });
  it('a filter that is not JMESPath is named as such; a valid one has no problem', () => {
    expect(apiFilterProblem('[?contains(name')).toMatch(/^apiFilter is not a JMESPath expression: /);
    expect(apiFilterProblem("[?contains(name, 'long')]")).toBeUndefined();
  });
  // Not starts_with: jmespath 0.16.0 answers it with lastIndexOf(prefix) === 0 (`starts_with('applanix', 'a')` is false).
  it('an integration with an apiFilter discovers only what it keeps', () => {
    const found = discover(integration(1, { type: 'GITHUB', apiFilter: "[?contains(name, 'a')]" }), DEFAULT_CATALOGUE, 2, 0);
    expect(found.map((r) => [r.id, r.fields.displayName])).toEqual([[2, 'acme'], [3, 'applanix-site-viewer']]);
  });
});

describe('host catalogue', () => {
  const custom = (doc: unknown): HostCatalogue => {
    const parsed = parseCatalogue(doc);
    if ('problems' in parsed) throw new Error(parsed.problems.join('; '));
    return parsed.catalogue;
  };
  it('an origin entry wins over the type entry; origins compare without case, slash, .git or api.', () => {
    const catalogue = custom({ byOrigin: { 'https://GHE.example.com/': [{ name: 'only', group: 'g' }] }, byType: { GITHUB_SERVER: [{ name: 'x', group: 'g' }] } });
    expect(hostRepositories(catalogue, 'GITHUB_SERVER', 'https://ghe.example.com').map((r) => r.name)).toEqual(['only']);
    expect(hostRepositories(catalogue, 'GITHUB_SERVER', 'https://other.example.com').map((r) => r.name)).toEqual(['x']);
    expect(originKey('https://api.github.com/')).toBe(originKey('https://github.com'));
  });
  it('extra fields reach the filter', () => {
    const catalogue = custom({ byType: { GITHUB: [{ name: 'a', group: 'g', archived: true }, { name: 'b', group: 'g', archived: false }] } });
    expect(discover(integration(1, { type: 'GITHUB', apiFilter: '[?!archived]' }), catalogue, 2, 0).map((r) => r.fields.displayName)).toEqual(['b']);
  });
  it('every problem of a bad catalogue is named', () => {
    const parsed = parseCatalogue({ byType: { NOPE: [], GITHUB: [{ name: 'a b', group: '' }, 3] }, extra: 1 });
    expect('problems' in parsed && parsed.problems).toEqual([
      'extra is not a catalogue section (byOrigin, byType)',
      'byType["NOPE"]: not an integration type (GITHUB, GITHUB_SERVER, GITLAB, GITLAB_SERVER, GITLAB_SERVER_LEGACY, FILESPACE, AZURE_DEVOPS, VSTS, AZURE, TFS_SERVER, AWS, GERRIT)',
      'byType["GITHUB"][0].name must be 1 to 100 of A-Z a-z 0-9 . _ -',
      'byType["GITHUB"][0].group must be 1 to 5 /-separated segments of A-Z a-z 0-9 . _ -',
      'byType["GITHUB"][1] must be an object',
    ]);
  });
  it('a host past 1000 repositories is refused', () => {
    const list = Array.from({ length: 1001 }, (_, i) => ({ name: `r${i}`, group: 'g' }));
    const parsed = parseCatalogue({ byType: { GITHUB: list } });
    expect('problems' in parsed && parsed.problems).toEqual(['byType["GITHUB"] has 1001 repositories; a host holds at most 1000']);
  });
});

describe('rescan', () => {
  it('adds what the host gained and returns the children whose host repository is gone', () => {
    const parent = integration(1, { type: 'GITHUB' });
    const children = discover(parent, DEFAULT_CATALOGUE, 2, 0);
    const catalogue: HostCatalogue = { byOrigin: {}, byType: { GITHUB: [{ name: 'acme', group: 'TestOrg' }, { name: 'new-one', group: 'TestOrg' }] } };
    const { added, vanished } = rescan(parent, children, catalogue, 5, 10);
    expect(added.map((r) => [r.id, r.fields.displayName])).toEqual([[5, 'new-one']]);
    expect(vanished.map((r) => r.id)).toEqual([2, 4]);
  });
});
