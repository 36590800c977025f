// Config type, defaults, and loadConfig(argv, env): every problem reported at once, result frozen.
import { readFileSync } from 'node:fs';

export interface UserEntry {
  readonly name: string;
  readonly password: string;
  readonly tokens: readonly string[];
  readonly administrator: boolean;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  /** '' or a path such as '/jira' that prefixes every route, like a Jira context path */
  readonly contextPath: string;
  readonly users: readonly UserEntry[];
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly validateResponses: boolean;
  readonly bodyLimitBytes: number;
}

export const DEFAULT_USERS: readonly UserEntry[] = [
  { name: 'admin', password: 'admin', tokens: ['admin-token'], administrator: true },
  { name: 'user', password: 'user', tokens: ['user-token'], administrator: false },
];

export const defaultConfig: Config = {
  port: 2990,
  host: '127.0.0.1',
  contextPath: '',
  users: DEFAULT_USERS,
  logLevel: 'info',
  validateResponses: true,
  bodyLimitBytes: 1024 * 1024,
};

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Parser = (raw: string, problems: string[], label: string) => unknown;

/** One row per option: flag, environment variable, default and meaning. `--help` and the README are made from it. */
export const OPTIONS: ReadonlyArray<{ key: keyof Config; flag: string; env: string; meaning: string; parse: Parser }> = [
  { key: 'port', flag: '--port', env: 'PORT', meaning: 'TCP port to listen on (0 = any free port)', parse: intIn(0, 65535) },
  { key: 'host', flag: '--host', env: 'GIJ_MOCK_HOST', meaning: 'Address to listen on; keep loopback unless you know why not', parse: nonEmpty },
  { key: 'contextPath', flag: '--context-path', env: 'GIJ_MOCK_CONTEXT_PATH', meaning: "Jira context path prefixed to every route, e.g. '/jira'", parse: contextPath },
  { key: 'users', flag: '--users', env: 'GIJ_MOCK_USERS', meaning: 'JSON file of users (see README); default admin/admin and user/user', parse: usersFile },
  { key: 'logLevel', flag: '--log-level', env: 'GIJ_MOCK_LOG_LEVEL', meaning: 'fatal, error, warn, info, debug, trace or silent', parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) },
  { key: 'validateResponses', flag: '--validate-responses', env: 'GIJ_MOCK_VALIDATE_RESPONSES', meaning: 'Check every response against the spec (a violation answers 500); false for benchmarks', parse: bool },
  { key: 'bodyLimitBytes', flag: '--body-limit', env: 'GIJ_MOCK_BODY_LIMIT', meaning: 'Largest accepted request body in bytes (larger: 413)', parse: intIn(1, 100 * 1024 * 1024) },
];

export function describeDefault(key: keyof Config): string {
  const value = defaultConfig[key];
  if (key === 'users') return 'admin/admin (administrator), user/user';
  return value === '' ? "''" : String(value);
}

/** Flags win over environment variables, which win over defaults. */
export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const fromFlags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const option = OPTIONS.find((o) => o.flag === flag);
    if (!option) { problems.push(`unknown argument ${arg}`); continue; }
    const value = inline ?? argv[++i];
    if (value === undefined) problems.push(`${flag} needs a value`);
    else fromFlags.set(option.flag, value);
  }
  const result: Record<string, unknown> = { ...defaultConfig };
  for (const option of OPTIONS) {
    const flagValue = fromFlags.get(option.flag);
    const raw = flagValue ?? env[option.env];
    if (raw === undefined) continue;
    const label = flagValue !== undefined ? option.flag : option.env;
    const before = problems.length;
    const parsed = option.parse(raw, problems, label);
    if (problems.length === before) result[option.key] = parsed;
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(result as unknown as Config);
}

function intIn(min: number, max: number): Parser {
  return (raw, problems, label) => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || n < min || n > max) problems.push(`${label} must be a whole number from ${min} to ${max}, got '${raw}'`);
    return n;
  };
}
function nonEmpty(raw: string, problems: string[], label: string): string {
  if (!raw.trim()) problems.push(`${label} must not be empty`);
  return raw.trim();
}
function oneOf(values: readonly string[]): Parser {
  return (raw, problems, label) => {
    if (!values.includes(raw)) problems.push(`${label} must be one of ${values.join(', ')}, got '${raw}'`);
    return raw;
  };
}
function bool(raw: string, problems: string[], label: string): boolean {
  if (!['true', 'false'].includes(raw)) problems.push(`${label} must be true or false, got '${raw}'`);
  return raw === 'true';
}
function contextPath(raw: string, problems: string[], label: string): string {
  const trimmed = raw.replace(/\/+$/, '');
  if (trimmed !== '' && !/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed)) problems.push(`${label} must be empty or like '/jira' (letters, digits, . _ ~ - segments), got '${raw}'`);
  return trimmed;
}
function usersFile(path: string, problems: string[], label: string): UserEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    problems.push(`${label}: cannot read ${path} as JSON (${(e as Error).message})`);
    return [];
  }
  const list = (data as { users?: unknown })?.users;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(`${label}: ${path} must hold {"users": [ … ]} with at least one user`);
    return [];
  }
  const users: UserEntry[] = [];
  list.forEach((u: Record<string, unknown>, i) => {
    const where = `${label}: users[${i}]`;
    const ok = typeof u?.name === 'string' && u.name !== '' && !u.name.includes(':') && typeof u.password === 'string' && u.password !== '';
    const tokens = u?.tokens ?? [];
    if (!ok) problems.push(`${where} needs a non-empty "name" without ':' and a non-empty "password"`);
    if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string' || !/^[A-Za-z0-9._~+/-]+=*$/.test(t))) problems.push(`${where}.tokens must be an array of token strings (letters, digits, . _ ~ + / - and trailing =)`);
    if (u?.administrator !== undefined && typeof u.administrator !== 'boolean') problems.push(`${where}.administrator must be true or false`);
    if (ok && users.some((x) => x.name === u.name)) problems.push(`${where}: user ${String(u.name)} is listed twice`);
    users.push({ name: String(u?.name), password: String(u?.password), tokens: Array.isArray(tokens) ? tokens.map(String) : [], administrator: u?.administrator === true });
  });
  return users;
}
