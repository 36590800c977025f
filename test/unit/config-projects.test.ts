// The project list (--projects, the users file's "projects") and each user's project permissions: loaded as
// written, every bad shape named in one line, all problems at once, the library option the same as the flag.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, configFromOptions, defaultConfig, loadConfig } from '../../src/config.js';
import { callerOf, mayReindex, maySee } from '../../src/permissions.js';
import { MAX_PROJECTS } from '../../src/users-file.js';
import { configProblems } from '../helpers/config-problems.js';

const dir = mkdtempSync(join(tmpdir(), 'gij-mock-projects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function usersFile(content: unknown): string {
  const path = join(dir, `users-${fileNo++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const problemsOf = configProblems;

const admin = { name: 'ops', password: 'pw', administrator: true };
const dev = { name: 'dev', password: 'pw', permissions: { TEST: ['BROWSE_PROJECTS', 'VIEW_DEV_TOOLS'], DEV: ['BROWSE_PROJECTS'] } };

describe('project list', () => {
  it('the default project list is TEST=10000 and the default users have no project permission', () => {
    expect(defaultConfig.projects).toEqual({ TEST: 10000 });
    expect(defaultConfig.users.map((u) => u.permissions)).toEqual([undefined, undefined]);
  });
  it('--projects replaces the list; the users file adds its own projects and its users name either', () => {
    const config = loadConfig(['--projects', 'TEST=10000,OPS=20000', '--users', usersFile({ projects: { DEV: 10001 }, users: [admin, dev] })], {});
    expect(config.projects).toEqual({ TEST: 10000, OPS: 20000, DEV: 10001 });
    expect(config.users[1]).toEqual({ name: 'dev', password: 'pw', tokens: [], administrator: false, permissions: dev.permissions });
  });
  it('the library option projects is the flag: configFromOptions({projects}) equals loadConfig(--projects)', () => {
    expect(configFromOptions({ projects: 'TEST=10000,DEV=10001' }).projects).toEqual(loadConfig(['--projects', 'TEST=10000,DEV=10001'], {}).projects);
  });
  it('a users file that repeats a known project with the same id is accepted', () => {
    expect(loadConfig(['--users', usersFile({ projects: { TEST: 10000 }, users: [admin] })], {}).projects).toEqual({ TEST: 10000 });
  });
});

describe('bad project lists and permissions: one line each', () => {
  const fileCases: Array<{ given: string; content: unknown; want: RegExp }> = [
    { given: '"projects" as a list', content: { projects: ['DEV'], users: [admin] }, want: /^--users: "projects" must be an object of project key → id/ },
    { given: 'a lower-case project key', content: { projects: { dev: 10001 }, users: [admin] }, want: /^--users: projects\.dev: a project key is a capital letter/ },
    { given: 'a project id 0', content: { projects: { DEV: 0 }, users: [admin] }, want: /^--users: projects\.DEV must be a project id from 1 to/ },
    { given: 'a project id as a string', content: { projects: { DEV: '10001' }, users: [admin] }, want: /^--users: projects\.DEV must be a project id/ },
    { given: 'TEST with another id', content: { projects: { TEST: 1 }, users: [admin] }, want: /^--users: projects\.TEST: project TEST is already 10000$/ },
    { given: 'a second key for id 10000', content: { projects: { OTHER: 10000 }, users: [admin] }, want: /^--users: projects\.OTHER: project id 10000 already belongs to TEST$/ },
    { given: 'permissions as a list', content: { users: [{ ...dev, permissions: ['TEST'] }] }, want: /^--users: users\[0\]\.permissions must be an object of project key → a list of BROWSE_PROJECTS and\/or VIEW_DEV_TOOLS$/ },
    { given: 'a permission key "__proto__"', content: `{"users": [{"name": "dev", "password": "pw", "permissions": {"__proto__": ["BROWSE_PROJECTS"]}}]}`, want: /^--users: users\[0\]\.permissions\.__proto__: a project key is a capital letter/ },
    { given: 'an unknown permission', content: { users: [{ ...dev, permissions: { TEST: ['ADMINISTER'] } }] }, want: /^--users: users\[0\]\.permissions\.TEST must be a non-empty list of BROWSE_PROJECTS/ },
    { given: 'an empty permission list', content: { users: [{ ...dev, permissions: { TEST: [] } }] }, want: /^--users: users\[0\]\.permissions\.TEST must be a non-empty list/ },
    { given: 'a permission twice', content: { users: [{ ...dev, permissions: { TEST: ['BROWSE_PROJECTS', 'BROWSE_PROJECTS'] } }] }, want: /^--users: users\[0\]\.permissions\.TEST lists a permission twice$/ },
    { given: 'VIEW_DEV_TOOLS without BROWSE_PROJECTS', content: { users: [{ ...dev, permissions: { TEST: ['VIEW_DEV_TOOLS'] } }] }, want: /^--users: users\[0\]\.permissions\.TEST: VIEW_DEV_TOOLS needs BROWSE_PROJECTS on the same project$/ },
    { given: 'a permission on an unknown project', content: { users: [admin, dev] }, want: /^--users: users\[1\]\.permissions\.DEV: no project has the key DEV \(known: TEST; add it to "projects" or --projects\)$/ },
  ];
  for (const c of fileCases) {
    it(`--users with ${c.given} throws a ConfigError with exactly that one line`, () => {
      const problems = problemsOf(() => loadConfig(['--users', usersFile(c.content)], {}));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(c.want);
    });
  }
  const flagCases: Array<{ given: string; raw: string; want: RegExp }> = [
    { given: 'an empty list', raw: ',', want: /^--projects must list projects as KEY=id/ },
    { given: 'a key without id', raw: 'TEST', want: /^--projects: 'TEST' is not KEY=id/ },
    { given: 'a negative id', raw: 'TEST=-1', want: /^--projects: 'TEST=-1' is not KEY=id/ },
    { given: 'an id past 2^53-1', raw: 'TEST=9007199254740992', want: /^--projects: TEST must be a project id from 1 to 9007199254740991$/ },
    { given: 'one key twice with two ids', raw: 'TEST=1,TEST=2', want: /^--projects: TEST: project TEST is already 1$/ },
  ];
  for (const c of flagCases) {
    it(`--projects with ${c.given} throws a ConfigError with exactly that one line`, () => {
      const problems = problemsOf(() => loadConfig(['--projects', c.raw], {}));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(c.want);
    });
  }
  it('a users file with three bad permissions and a bad --projects reports all four together', () => {
    const content = { users: [{ ...dev, permissions: { TEST: ['X'], NOPE: ['BROWSE_PROJECTS'], DEV: ['VIEW_DEV_TOOLS'] } }] };
    const problems = problemsOf(() => loadConfig(['--users', usersFile(content), '--projects', 'TEST'], {}));
    expect(problems).toHaveLength(4);
  });
  it(`a users file whose projects bring the list past ${MAX_PROJECTS} is refused in one line`, () => {
    const projects = Object.fromEntries(Array.from({ length: MAX_PROJECTS }, (_, i) => [`P${i}`, 20_001 + i]));
    const problems = problemsOf(() => loadConfig(['--users', usersFile({ projects, users: [admin] })], {}));
    expect(problems).toEqual([`--users: projects.P${MAX_PROJECTS - 1}: more than ${MAX_PROJECTS} projects`]);
  });
});

describe('what a permission grants', () => {
  const projects = { TEST: 10000, DEV: 10001 };
  const developer = callerOf({ name: 'dev', password: 'pw', tokens: [], administrator: false, permissions: { TEST: ['BROWSE_PROJECTS', 'VIEW_DEV_TOOLS'], DEV: ['BROWSE_PROJECTS'] } }, projects);
  const plain = callerOf({ name: 'user', password: 'user', tokens: [], administrator: false }, projects);
  const cases = [
    { repo: { global: true, projectMappingIds: [] }, see: [true, true], reindex: [true, false] },
    { repo: { global: false, projectMappingIds: [10000] }, see: [true, false], reindex: [true, false] },
    // Browse without View Development Tools shows nothing mapped there.
    { repo: { global: false, projectMappingIds: [10001] }, see: [false, false], reindex: [false, false] },
    { repo: { global: false, projectMappingIds: [10001, 10000] }, see: [true, false], reindex: [true, false] },
  ];
  for (const c of cases) {
    it(`a repository global=${c.repo.global} mapped to [${c.repo.projectMappingIds.join(',')}]: seen ${c.see}, reindexed ${c.reindex} (developer, plain user)`, () => {
      expect([maySee(developer, c.repo), maySee(plain, c.repo)]).toEqual(c.see);
      expect([mayReindex(developer, c.repo), mayReindex(plain, c.repo)]).toEqual(c.reindex);
    });
  }
});
