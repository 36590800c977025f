// configFromOptions (the library's options) and loadConfig (the CLI's argv/env) share one checker over OPTIONS.
import { describe, expect, it } from 'vitest';
import { configFromOptions, loadConfig, OPTIONS } from '../../src/config.js';
import { configProblems } from '../helpers/config-problems.js';

const problemsOf = configProblems;

describe('configFromOptions', () => {
  it('configFromOptions({port, contextPath, validateResponses, journalLimit}) equals loadConfig of the same flags', () => {
    const fromLibrary = configFromOptions({ port: 0, contextPath: '/jira/', validateResponses: false, journalLimit: 5 });
    const fromCli = loadConfig(['--port', '0', '--context-path', '/jira/', '--validate-responses', 'false', '--journal-limit', '5'], {});
    expect(fromLibrary).toEqual(fromCli);
    expect(fromLibrary.contextPath).toBe('/jira');
  });

  it('configFromOptions with a bad value reports the same sentence as the CLI, labelled with the option name', () => {
    const [fromLibrary] = problemsOf(() => configFromOptions({ maxDelayMs: 700_000 }));
    const [fromCli] = problemsOf(() => loadConfig(['--max-delay', '700000'], {}));
    expect(fromCli).toMatch(/^--max-delay must be a whole number from 0 to 600000/);
    expect(fromLibrary).toBe(fromCli!.replace('--max-delay', 'maxDelayMs'));
  });

  it('configFromOptions with an unknown key, an object value and a bad port lists all three problems', () => {
    const problems = problemsOf(() => configFromOptions({ prot: 1, users: { users: [] }, port: 1.5 }));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^unknown option prot \(known: port, host/);
    expect(problems[1]).toBe('users must be a string, number or boolean as on the command line (--users), got object');
    expect(problems[2]).toMatch(/^port must be a whole number/);
  });

  it('configFromOptions uses the given base for options left out, and an undefined value counts as left out', () => {
    const base = configFromOptions({});
    const config = configFromOptions({ host: undefined, logLevel: 'silent' }, { ...base, port: 0 });
    expect(config.port).toBe(0);
    expect(config.host).toBe('127.0.0.1');
    expect(config.logLevel).toBe('silent');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('every OPTIONS key is accepted as a library option name', () => {
    const unknown = OPTIONS.flatMap((o) => problemsOf(() => configFromOptions({ [o.key]: 'not-a-valid-value-\u0000', port: -1 })).filter((p) => p.startsWith('unknown option')));
    expect(unknown).toEqual([]);
  });
});
