// loadConfig(argv, env): defaults, precedence, both flag forms, every problem at once, frozen result.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfig, type Config } from '../../src/config.js';
import { configProblems } from '../helpers/config-problems.js';

type Env = Record<string, string | undefined>;

const problemsOf = (argv: string[], env: Env = {}): readonly string[] => configProblems(() => loadConfig(argv, env));

const dir = mkdtempSync(join(tmpdir(), 'gij-mock-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function usersFile(content: string): string {
  const path = join(dir, `users-${fileNo++}.json`);
  writeFileSync(path, content);
  return path;
}

describe('loadConfig defaults', () => {
  it('loadConfig with no flags and no env returns the defaults', () => {
    expect(loadConfig([], {})).toEqual(defaultConfig);
  });
  it('loadConfig ignores environment variables it does not own', () => {
    expect(loadConfig([], { HOME: '/root', NODE_ENV: 'test' })).toEqual(defaultConfig);
  });
});

describe('loadConfig precedence and flag forms', () => {
  const cases: Array<{ given: string; argv: string[]; env: Env; want: Partial<Config> }> = [
    { given: 'env PORT', argv: [], env: { PORT: '3000' }, want: { port: 3000 } },
    { given: '--port 5 (separate value)', argv: ['--port', '5'], env: {}, want: { port: 5 } },
    { given: '--port=5 (inline value)', argv: ['--port=5'], env: {}, want: { port: 5 } },
    { given: '--port over env PORT', argv: ['--port', '4000'], env: { PORT: '3000' }, want: { port: 4000 } },
    { given: 'a valid flag over a bad env value', argv: ['--port=4000'], env: { PORT: 'nope' }, want: { port: 4000 } },
    { given: 'env log level', argv: [], env: { GIJ_MOCK_LOG_LEVEL: 'debug' }, want: { logLevel: 'debug' } },
    { given: '--log-level over env', argv: ['--log-level=warn'], env: { GIJ_MOCK_LOG_LEVEL: 'debug' }, want: { logLevel: 'warn' } },
    { given: '--validate-responses=false', argv: ['--validate-responses=false'], env: {}, want: { validateResponses: false } },
    { given: 'env GIJ_MOCK_VALIDATE_RESPONSES=false', argv: [], env: { GIJ_MOCK_VALIDATE_RESPONSES: 'false' }, want: { validateResponses: false } },
    { given: '--context-path /jira/ (trailing slash)', argv: ['--context-path', '/jira/'], env: {}, want: { contextPath: '/jira' } },
    { given: 'env context path', argv: [], env: { GIJ_MOCK_CONTEXT_PATH: '/a/b' }, want: { contextPath: '/a/b' } },
    { given: '--host', argv: ['--host', '::1'], env: { GIJ_MOCK_HOST: '0.0.0.0' }, want: { host: '::1' } },
    { given: '--body-limit', argv: ['--body-limit=10'], env: {}, want: { bodyLimitBytes: 10 } },
    { given: 'several flags at once', argv: ['--port', '0', '--log-level', 'silent'], env: {}, want: { port: 0, logLevel: 'silent' } },
  ];
  for (const c of cases) {
    it(`loadConfig with ${c.given} sets ${Object.keys(c.want).join(', ')} and keeps other defaults`, () => {
      expect(loadConfig(c.argv, c.env)).toEqual({ ...defaultConfig, ...c.want });
    });
  }
});

describe('loadConfig bad values', () => {
  const cases: Array<{ given: string; argv: string[]; env?: Env; want: RegExp[] }> = [
    {
      given: 'a bad port, a bad log level and an unknown flag',
      argv: ['--port', 'nope', '--log-level', 'loud', '--bogus'],
      want: [/^--port must be a whole number from 0 to 65535, got 'nope'$/, /^--log-level must be one of .*got 'loud'$/, /^unknown argument --bogus$/],
    },
    { given: 'env PORT out of range', argv: [], env: { PORT: '70000' }, want: [/^PORT must be a whole number/] },
    { given: 'a negative port', argv: ['--port=-1'], want: [/^--port must be a whole number/] },
    { given: 'a flag without its value', argv: ['--port'], want: [/^--port needs a value$/] },
    { given: 'a non-boolean --validate-responses', argv: ['--validate-responses', 'yes'], want: [/^--validate-responses must be true or false/] },
    { given: 'a context path without a leading slash', argv: ['--context-path', 'jira'], want: [/^--context-path must be empty or like '\/jira'/] },
    { given: 'a blank host', argv: ['--host', '  '], want: [/^--host must not be empty$/] },
    { given: 'a zero body limit', argv: ['--body-limit', '0'], want: [/^--body-limit must be a whole number from 1 /] },
    { given: 'bad env values and a bad flag', argv: ['--log-level', 'loud'], env: { PORT: 'x', GIJ_MOCK_BODY_LIMIT: '1.5' }, want: [/^PORT /, /^GIJ_MOCK_BODY_LIMIT /, /^--log-level /] },
  ];
  for (const c of cases) {
    it(`loadConfig with ${c.given} throws one ConfigError listing ${c.want.length} problem(s)`, () => {
      const problems = problemsOf(c.argv, c.env);
      expect(problems).toHaveLength(c.want.length);
      for (const want of c.want) expect(problems.some((p) => want.test(p)), `${want} in ${JSON.stringify(problems)}`).toBe(true);
    });
  }
  it('ConfigError message names every problem, one per line', () => {
    const problems = problemsOf(['--port', 'nope', '--log-level', 'loud', '--bogus']);
    const message = new ConfigError(problems).message;
    for (const p of problems) expect(message).toContain(`  - ${p}`);
  });
});

describe('loadConfig users file', () => {
  const admin = { name: 'ops', password: 'pw', tokens: ['tok-1.a_b~c+/=='], administrator: true };
  it('loadConfig --users with a valid file loads every user; tokens and administrator default to [] and false', () => {
    const path = usersFile(JSON.stringify({ users: [admin, { name: 'dev', password: 'pw2' }] }));
    expect(loadConfig(['--users', path], {}).users).toEqual([admin, { name: 'dev', password: 'pw2', tokens: [], administrator: false }]);
  });
  it('loadConfig with env GIJ_MOCK_USERS reads the same file', () => {
    const path = usersFile(JSON.stringify({ users: [admin] }));
    expect(loadConfig([], { GIJ_MOCK_USERS: path }).users).toEqual([admin]);
  });
  const bad: Array<{ given: string; content?: string; want: RegExp }> = [
    { given: 'a missing file', want: /^--users: cannot read .* as JSON/ },
    { given: 'malformed JSON', content: '{"users": [', want: /^--users: cannot read .* as JSON/ },
    { given: 'an empty user list', content: '{"users": []}', want: /must hold \{"users": \[ … \]\} with at least one user/ },
    { given: 'a duplicate user name', content: JSON.stringify({ users: [admin, { ...admin, password: 'other' }] }), want: /users\[1\]: user ops is listed twice/ },
    { given: 'a token with a space', content: JSON.stringify({ users: [{ ...admin, tokens: ['bad token'] }] }), want: /users\[0\]\.tokens must be an array of token strings/ },
    { given: 'a name with a colon', content: JSON.stringify({ users: [{ ...admin, name: 'a:b' }] }), want: /users\[0\] needs a non-empty "name" without ':'/ },
    { given: 'a non-boolean administrator', content: JSON.stringify({ users: [{ ...admin, administrator: 'yes' }] }), want: /users\[0\]\.administrator must be true or false/ },
  ];
  for (const c of bad) {
    it(`loadConfig --users with ${c.given} throws a ConfigError saying so`, () => {
      const path = c.content === undefined ? join(dir, 'does-not-exist.json') : usersFile(c.content);
      const problems = problemsOf(['--users', path]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(c.want);
    });
  }
  it('loadConfig with a bad users file, a bad port and an unknown flag reports all three together', () => {
    const problems = problemsOf(['--users', usersFile('not json'), '--port', '99999', '--nope']);
    expect(problems).toHaveLength(3);
  });
});

describe('loadConfig result', () => {
  it('loadConfig returns a frozen object; assigning a field throws', () => {
    const config = loadConfig(['--port', '5'], {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => { (config as { port: number }).port = 6; }).toThrow(TypeError);
    expect(config.port).toBe(5);
  });
});
