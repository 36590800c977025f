// The repository model: R2 defaults, R3 merge with the nested-repository rules, the client view.
import { describe, expect, it } from 'vitest';
import { createIntegration, rulesFromSpec, type IntegrationRequest } from '../../src/integration-model.js';
import { discover } from '../../src/discovery.js';
import { DEFAULT_CATALOGUE } from '../../src/host-catalogue.js';
import { createRepository, mergeRepositoryUpdate, toRepository } from '../../src/repository-model.js';
import { loadSpec, SpecSchemas } from '../../src/spec.js';

const spec = loadSpec();
const responseRule = new SpecSchemas(spec, 'response').validator('/components/schemas/Repository');
const rules = rulesFromSpec(spec);
const nested = () => discover(createIntegration({ type: 'GITLAB', pat: 'p' } as IntegrationRequest, 1, 0, rules), DEFAULT_CATALOGUE, 3, 0)[0]!;

describe('createRepository (R2)', () => {
  it('the vendor Add example: realRoot <id>_<name>, root under the Jira home, empty secrets not set, no lastIndexedDate', () => {
    const record = createRepository({ displayName: 'MyGitLab-testrepo', origin: 'https://github.com/johnsmith/test-repo.git', pat: 'tok', username: '', password: '', trustFolderStat: true, hosted: true, limitGitData: true } as never, 68, 1626069618147);
    const shown = toRepository(record, false);
    expect(shown).toMatchObject({ id: 68, realRoot: '68_test-repo', root: '/opt/jira-home-shared/data/git-plugin/68_test-repo', absoluteRoot: false, hosted: false, trustFolderStat: true, supportsBranchCreationApi: false });
    expect(shown).not.toHaveProperty('lastIndexedDate');
    expect(JSON.stringify(shown)).not.toMatch(/tok|username|password|"pat"|limitGitData|webLinkType/);
    expect(record.fields).not.toHaveProperty('username');
    expect(responseRule(shown)).toBe(true);
  });
  it('displayName defaults to the last origin segment; an absolute realRoot is the root', () => {
    const shown = toRepository(createRepository({ origin: 'git@host:team/tool.git', realRoot: '/srv/git/tool', absoluteRoot: true }, 5, 0), false);
    expect(shown).toMatchObject({ displayName: 'tool', realRoot: '/srv/git/tool', root: '/srv/git/tool' });
  });
});

describe('mergeRepositoryUpdate (R3)', () => {
  it('a standalone repository: the vendor Update example changes the two fields and nothing else', () => {
    const current = createRepository({ origin: 'https://gitlab.com/wileycoyote/acmecorp.git' }, 3, 0);
    const { record, ignored } = mergeRepositoryUpdate(current, { id: 3, maxMinsToCommitEmail: 1441, gitViewerEnabled: false });
    expect(ignored).toEqual([]);
    expect(toRepository(record, false)).toEqual({ ...toRepository(current, false), maxMinsToCommitEmail: 1441, gitViewerEnabled: false });
  });
  it('a nested repository ignores the read-only fields and changes the editable ones', () => {
    const current = nested();
    const { record, ignored } = mergeRepositoryUpdate(current, {
      id: current.id, mainBranch: 'dev', origin: 'https://elsewhere/x.git', realRoot: 'x', enableFetches: false, pat: 'p2', requireUserPat: true,
      displayName: 'renamed', tagsFilter: 'v.*', global: false, projectMappingIds: [10001, 10000, 10000],
    });
    expect(ignored).toEqual(['mainBranch', 'origin', 'realRoot', 'enableFetches', 'pat', 'requireUserPat']);
    expect(toRepository(record, false)).toEqual({ ...toRepository(current, false), displayName: 'renamed', tagsFilter: 'v.*', global: false, projectMappingIds: [10000, 10001] });
    expect(record.fields).not.toHaveProperty('pat');
  });
  it('disabled is never changed by R3 (the vendor note; Enable/Disable is the way); sent back unchanged it is not named', () => {
    const current = createRepository({ origin: 'https://h/r.git' }, 3, 0);
    expect(mergeRepositoryUpdate(current, { disabled: true })).toEqual({ record: current, ignored: ['disabled'] });
    expect(mergeRepositoryUpdate(current, toRepository(current, false) as never).ignored).toEqual([]);
  });
});

describe('toRepository', () => {
  it('a disabled integration or a queued removal shows disabled; the repository keeps its own flag', () => {
    const current = nested();
    expect(toRepository(current, true).disabled).toBe(true);
    expect(toRepository({ ...current, removalQueued: true }, false).disabled).toBe(true);
    expect(toRepository(current, false).disabled).toBe(false);
  });
  it('every discovered repository of every type is a valid Repository answer', () => {
    for (const type of ['GITHUB', 'GITHUB_SERVER', 'GITLAB', 'AZURE_DEVOPS', 'AWS', 'FILESPACE', 'GERRIT', 'TFS_SERVER'] as const) {
      const body = { type, pat: 'p', username: 'u', password: 'pw', origin: type === 'FILESPACE' ? '/repos/*' : 'https://git.example.com', awsRegion: 'eu-west-1', tfsCollection: 'c' };
      for (const r of discover(createIntegration(body as IntegrationRequest, 1, 0, rules), DEFAULT_CATALOGUE, 2, 0)) {
        const shown = toRepository({ ...r, lastIndexedDate: 5 }, false);
        expect(responseRule(shown), `${type}: ${JSON.stringify(responseRule.errors)}`).toBe(true);
      }
    }
  });
});
