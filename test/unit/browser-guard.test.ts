// The browser rules as pure functions: which origins get CORS, which Host headers are answered, and
// how --cors-origins and --allowed-hosts are read (every problem at once), and what the /__mock guard
// takes for a page on another site.
import { describe, expect, it } from 'vitest';
import { crossSiteReason, hostCheck, hostnameOf, LOOPBACK, originCheck } from '../../src/browser-guard.js';
import { defaultConfig, describeDefault, loadConfig } from '../../src/config.js';
import { configProblems } from '../helpers/config-problems.js';

describe('originCheck', () => {
  const loopback = originCheck([LOOPBACK]);
  const cases: Array<{ origin: string; want: boolean }> = [
    { origin: 'http://localhost:5173', want: true },
    { origin: 'http://localhost', want: true },
    { origin: 'https://localhost:8443', want: true },
    { origin: 'http://127.0.0.1:2990', want: true },
    { origin: 'http://[::1]:3000', want: true },
    { origin: 'https://evil.example', want: false },
    { origin: 'http://localhost.evil.example', want: false },
    { origin: 'http://evil.localhost', want: false },
    { origin: 'http://127.0.0.2:80', want: false },
    { origin: 'http://localhost:99999', want: false },
    { origin: 'null', want: false },
    { origin: 'file://', want: false },
    { origin: 'ftp://localhost', want: false },
    { origin: 'http://localhost:3000/path', want: false },
  ];
  for (const c of cases) {
    it(`the loopback default ${c.want ? 'allows' : 'refuses'} Origin ${c.origin}`, () => {
      expect(loopback(c.origin)).toBe(c.want);
    });
  }
  it('an exact origin list allows exactly those origins and no loopback origin', () => {
    const check = originCheck(['https://app.example.org']);
    expect(check('https://app.example.org')).toBe(true);
    expect(check('https://app.example.org:444')).toBe(false);
    expect(check('http://localhost:3000')).toBe(false);
  });
  it('an empty list (--cors-origins none) allows no origin', () => {
    expect(originCheck([])('http://localhost:3000')).toBe(false);
  });
});

describe('crossSiteReason (the /__mock guard)', () => {
  const loopback = originCheck([LOOPBACK]);
  const none = originCheck([]);
  const HOST = '127.0.0.1:2990';
  const cases: Array<{ given: string; origin?: string; site?: string; check?: typeof none; refused: boolean }> = [
    { given: 'a tool: neither Origin nor Sec-Fetch-Site', refused: false },
    { given: 'a typed URL (Sec-Fetch-Site none)', site: 'none', refused: false },
    { given: 'the docs\' same-origin try-it GET', site: 'same-origin', refused: false },
    { given: 'a cross-site navigation (no Origin)', site: 'cross-site', refused: true },
    { given: 'a same-site navigation from another port (no Origin)', site: 'same-site', refused: true },
    { given: 'Sec-Fetch-Site in capitals', site: 'CROSS-SITE', refused: true },
    { given: 'a foreign Origin', origin: 'https://evil.example', refused: true },
    { given: 'a foreign Origin claiming same-origin', origin: 'https://evil.example', site: 'same-origin', refused: true },
    { given: 'Origin null (sandboxed frame, file://)', origin: 'null', refused: true },
    { given: 'an allowed loopback Origin, cross-site', origin: 'http://localhost:5173', site: 'cross-site', refused: false },
    { given: 'a loopback Origin under --cors-origins none', origin: 'http://127.0.0.1:5173', site: 'same-site', check: none, refused: true },
    { given: 'the server\'s own Origin under --cors-origins none', origin: `http://${HOST}`, site: 'same-origin', check: none, refused: false },
  ];
  for (const c of cases) {
    it(`${c.refused ? 'refuses' : 'serves'} ${c.given}`, () => {
      const reason = crossSiteReason(c.origin, c.site, HOST, c.check ?? loopback);
      if (c.refused) expect(reason).toMatch(/^(Origin .* is not an allowed origin|Sec-Fetch-Site (cross|same)-site without an allowed Origin)/);
      else expect(reason).toBeUndefined();
    });
  }
});

describe('hostCheck', () => {
  it('hostnameOf keeps the name, lower case, without the port; undefined when malformed', () => {
    expect(hostnameOf('LocalHost:2990')).toBe('localhost');
    expect(hostnameOf('[::1]:2990')).toBe('[::1]');
    expect(hostnameOf('evil@127.0.0.1')).toBeUndefined();
    expect(hostnameOf('127.0.0.1:2990/x')).toBeUndefined();
    expect(hostnameOf('')).toBeUndefined();
    expect(hostnameOf(undefined)).toBeUndefined();
  });
  const cases: Array<{ given: string; listen: string; allowed: string[]; host: string | undefined; want: boolean }> = [
    { given: 'loopback name', listen: '127.0.0.1', allowed: [], host: 'localhost:2990', want: true },
    { given: 'loopback IPv4', listen: '127.0.0.1', allowed: [], host: '127.0.0.1:2990', want: true },
    { given: 'loopback IPv6', listen: '127.0.0.1', allowed: [], host: '[::1]:2990', want: true },
    { given: 'no port', listen: '127.0.0.1', allowed: [], host: 'localhost', want: true },
    { given: 'a foreign name (DNS rebinding)', listen: '127.0.0.1', allowed: [], host: 'evil.example:2990', want: false },
    { given: 'a name that starts like localhost', listen: '127.0.0.1', allowed: [], host: 'localhost.evil.example', want: false },
    { given: 'no Host header', listen: '127.0.0.1', allowed: [], host: undefined, want: false },
    { given: 'another IP on a loopback bind', listen: '127.0.0.1', allowed: [], host: '192.168.1.5:2990', want: false },
    { given: 'the bound address', listen: '10.0.0.7', allowed: [], host: '10.0.0.7:2990', want: true },
    { given: 'the bound IPv6 address', listen: 'fd00::7', allowed: [], host: '[fd00::7]:2990', want: true },
    { given: 'any IP on a wildcard bind', listen: '0.0.0.0', allowed: [], host: '192.168.1.5:2990', want: true },
    { given: 'a name on a wildcard bind', listen: '0.0.0.0', allowed: [], host: 'evil.example:2990', want: false },
    { given: 'a name of --allowed-hosts', listen: '127.0.0.1', allowed: ['jira-mock.test'], host: 'JIRA-MOCK.test:80', want: true },
    { given: 'a subdomain of a .name of --allowed-hosts', listen: '127.0.0.1', allowed: ['.example.org'], host: 'ci.example.org', want: true },
    { given: 'the domain of a .name of --allowed-hosts', listen: '127.0.0.1', allowed: ['.example.org'], host: 'example.org', want: true },
    { given: 'a name that only ends like a .name', listen: '127.0.0.1', allowed: ['.example.org'], host: 'badexample.org', want: false },
  ];
  for (const c of cases) {
    it(`hostCheck (listening on ${c.listen}) ${c.want ? 'answers' : 'refuses'} ${c.given}: Host ${c.host}`, () => {
      expect(hostCheck(c.listen, c.allowed)(c.host)).toBe(c.want);
    });
  }
});

describe('loadConfig --cors-origins and --allowed-hosts', () => {
  const problemsOf = (argv: string[]) => configProblems(() => loadConfig(argv, {}));
  it('defaults to loopback origins and no extra host; --help shows them', () => {
    expect(defaultConfig.corsOrigins).toEqual(['loopback']);
    expect(defaultConfig.allowedHosts).toEqual([]);
    expect(describeDefault('corsOrigins')).toBe('loopback');
    expect(describeDefault('allowedHosts')).toBe('none');
  });
  it('reads comma-separated origins (normalised like a browser sends them), loopback and none, from flag and env', () => {
    expect(loadConfig(['--cors-origins', 'https://App.example.org, loopback'], {}).corsOrigins).toEqual(['https://app.example.org', 'loopback']);
    expect(loadConfig([], { GIJ_MOCK_CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
    expect(loadConfig(['--allowed-hosts=Jira-Mock.test,.example.org'], {}).allowedHosts).toEqual(['jira-mock.test', '.example.org']);
    expect(loadConfig([], { GIJ_MOCK_ALLOWED_HOSTS: 'ci.local' }).allowedHosts).toEqual(['ci.local']);
  });
  it('refuses *, paths, other schemes and bad host names, every problem at once', () => {
    const problems = problemsOf(['--cors-origins', '*,https://a.example/x,ftp://b.example', '--allowed-hosts', '*,a.example:80,http://c.example']);
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/'\*' is not an origin/);
    expect(problems.join('\n')).toMatch(/'a.example:80' is not a host name/);
  });
  it('refuses an empty list', () => {
    expect(problemsOf(['--cors-origins', ' , ', '--allowed-hosts', ','])).toHaveLength(2);
  });
});
