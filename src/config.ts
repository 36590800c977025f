// Config type, defaults, and loadConfig(argv, env): every problem reported at once, result frozen.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { faultProblems, type FaultSettings } from './mock/faults.js';
import { fromStateDocument, readJsonFile, StateError, type StateDocument } from './mock/state.js';
import { DEFAULT_PROJECTS, type ProjectPermission } from './permissions.js';
import { loadSpec, projectRoot, SpecSchemas } from './spec.js';
import { mergeProjects, projectList, unknownProjectProblems, usersFile, type UsersFile } from './users-file.js';
import { fromAjvErrors, MAX_PROBLEMS, renderProblems } from './validation-messages.js';

export interface UserEntry {
  readonly name: string;
  readonly password: string;
  readonly tokens: readonly string[];
  readonly administrator: boolean;
  /** Project key → the permissions this user has there (absent: none; an administrator needs none). */
  readonly permissions?: Readonly<Record<string, readonly ProjectPermission[]>>;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  /** '' or a path such as '/jira' that prefixes every route, like a Jira context path */
  readonly contextPath: string;
  readonly users: readonly UserEntry[];
  /** Jira projects the server knows, key → id (--projects, plus those the users file adds) */
  readonly projects: Readonly<Record<string, number>>;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly validateResponses: boolean;
  readonly bodyLimitBytes: number;
  /** Integrations every new or reset store starts with (validated at load) */
  readonly seed?: StateDocument;
  /** File that keeps every session's integrations across restarts */
  readonly stateFile?: string;
  /** Start on a damaged --state-file: keep what is valid, move the damaged rest aside (never silently) */
  readonly repair: boolean;
  /** Fixed epoch ms for initDate (deterministic runs) */
  readonly clock?: number;
  readonly journalLimit: number;
  readonly maxDelayMs: number;
  readonly faults?: FaultSettings;
  /** Origins whose pages may call the API and the controls: exact origins and/or 'loopback' */
  readonly corsOrigins: readonly string[];
  /** Host names answered besides loopback names and the --host address ('.example.org' = subdomains too) */
  readonly allowedHosts: readonly string[];
  /** strict: refuse everything the contract does not allow; lenient: accept what the plugin accepts, with warnings */
  readonly validation: 'strict' | 'lenient';
  /** Most named session stores held at once (the default session never counts); a change that would create one more answers 507 */
  readonly maxSessions: number;
  /** Most bytes of integrations (their JSON) all sessions hold together; a change or import past it answers 507 */
  readonly maxStateBytes: number;
  /** Most integrations in one session (add past it: 507; larger import: 400) */
  readonly maxIntegrations: number;
  /** Milliseconds each repository's reindex task runs on the indexing clock (under --clock only a control call moves it) */
  readonly indexDelayMs: number;
  /** Reindex threads one session keeps (finished ones are forgotten first); a reindex past it answers 507 */
  readonly maxReindexThreads: number;
  /** Repositories waiting in one session's indexing queue; a reindex that would queue more answers 507 */
  readonly maxIndexQueue: number;
  /** Largest PUT /__mock/state body in bytes, after decoding (larger: 413) */
  readonly stateLimitBytes: number;
  /** Most problem sentences one 400 of PUT /__mock/state or a start-up message lists; the rest are counted */
  readonly maxProblems: number;
  /** Bodies larger than this (after decoding) are journaled as a note */
  readonly journalBodyLimitBytes: number;
  /** Time a client has to send a request's headers */
  readonly headersTimeoutMs: number;
  /** Time a client has to send a whole request */
  readonly requestTimeoutMs: number;
  /** Time an idle keep-alive connection is kept open */
  readonly keepAliveTimeoutMs: number;
  /** A connection on which no byte moves for this long is closed (slow or stalled readers) */
  readonly idleTimeoutMs: number;
  /** Most connections open at once (clamped to half the open-file limit); at the cap a new one evicts the oldest not yet handled */
  readonly maxConnections: number;
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
  projects: DEFAULT_PROJECTS,
  logLevel: 'info',
  validateResponses: true,
  repair: false,
  bodyLimitBytes: 1024 * 1024,
  journalLimit: 1000,
  maxDelayMs: 10_000,
  corsOrigins: ['loopback'],
  allowedHosts: [],
  validation: 'strict',
  maxSessions: 1000,
  // 256 MiB of stored JSON is ~0.9 GB of RSS (README "Security"): room for any test suite, safe on a 2 GB CI runner.
  maxStateBytes: 256 * 1024 * 1024,
  maxIntegrations: 10_000,
  indexDelayMs: 0,
  maxReindexThreads: 1000,
  maxIndexQueue: 10_000,
  stateLimitBytes: 64 * 1024 * 1024,
  maxProblems: MAX_PROBLEMS,
  journalBodyLimitBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  maxConnections: 1000,
};

/** The library's defaults (startGijMock, createApp, createFetchHandler, gij-mock/msw): any free port, and only warnings in the log (a test run's output stays readable). */
export const libraryDefaults: Config = { ...defaultConfig, port: 0, logLevel: 'warn' };

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
  { key: 'users', flag: '--users', env: 'GIJ_MOCK_USERS', meaning: 'JSON file of users and their project permissions (see README); default admin/admin and user/user', parse: usersFile },
  { key: 'projects', flag: '--projects', env: 'GIJ_MOCK_PROJECTS', meaning: 'Jira projects the server knows, KEY=id comma-separated (the users file may add more)', parse: projectList },
  { key: 'logLevel', flag: '--log-level', env: 'GIJ_MOCK_LOG_LEVEL', meaning: 'fatal, error, warn, info, debug, trace or silent', parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) },
  { key: 'validateResponses', flag: '--validate-responses', env: 'GIJ_MOCK_VALIDATE_RESPONSES', meaning: 'Check every response against the spec (a violation answers 500); false for benchmarks', parse: bool },
  { key: 'bodyLimitBytes', flag: '--body-limit', env: 'GIJ_MOCK_BODY_LIMIT', meaning: 'Largest accepted request body in bytes (larger: 413)', parse: intIn(1, 100 * 1024 * 1024) },
  { key: 'seed', flag: '--seed', env: 'GIJ_MOCK_SEED', meaning: 'JSON state file whose integrations every new or reset store starts with', parse: seedFile },
  { key: 'stateFile', flag: '--state-file', env: 'GIJ_MOCK_STATE_FILE', meaning: 'Persist every change here (atomic write) and restore it on start', parse: stateFile },
  { key: 'repair', flag: '--repair', env: 'GIJ_MOCK_REPAIR', meaning: 'true: start on a damaged --state-file with the changes before the damage, the rest moved to <file>.log.damaged-<time> (printed)', parse: bool },
  { key: 'clock', flag: '--clock', env: 'GIJ_MOCK_CLOCK', meaning: 'Fixed epoch milliseconds used as initDate (deterministic runs)', parse: intIn(0, Number.MAX_SAFE_INTEGER) },
  { key: 'journalLimit', flag: '--journal-limit', env: 'GIJ_MOCK_JOURNAL_LIMIT', meaning: 'How many requests the journal keeps (oldest dropped; 0 = off)', parse: intIn(0, 1_000_000) },
  { key: 'maxDelayMs', flag: '--max-delay', env: 'GIJ_MOCK_MAX_DELAY', meaning: 'Largest delay in ms a Prefer header or fault rule may ask for', parse: intIn(0, 600_000) },
  { key: 'faults', flag: '--faults', env: 'GIJ_MOCK_FAULTS', meaning: 'JSON file of fault rules, same body as PUT /__mock/faults', parse: faultsFile },
  { key: 'corsOrigins', flag: '--cors-origins', env: 'GIJ_MOCK_CORS_ORIGINS', meaning: "Comma-separated origins whose web pages may call gij-mock (CORS); 'loopback' = http(s)://localhost, 127.0.0.1, [::1] on any port; 'none' = no page", parse: originList },
  { key: 'allowedHosts', flag: '--allowed-hosts', env: 'GIJ_MOCK_ALLOWED_HOSTS', meaning: "Comma-separated Host names answered besides loopback names and the --host address ('.example.org' = its subdomains too); other Host headers get 421", parse: hostList },
  { key: 'validation', flag: '--validation', env: 'GIJ_MOCK_VALIDATION', meaning: 'strict refuses all the contract does not allow; lenient accepts what the plugin accepts, with X-Gij-Mock-Warning headers', parse: oneOf(['strict', 'lenient']) },
  { key: 'maxSessions', flag: '--max-sessions', env: 'GIJ_MOCK_MAX_SESSIONS', meaning: 'Most named session stores held at once; a change that needs one more answers 507 (reset frees one; the default session and existing ones are always served)', parse: intIn(1, 1_000_000) },
  { key: 'maxStateBytes', flag: '--max-state-bytes', env: 'GIJ_MOCK_MAX_STATE_BYTES', meaning: 'Most bytes of integrations (as JSON) all sessions hold together; a change or import past it answers 507 (reset frees its bytes)', parse: intIn(1024, 64 * 1024 * 1024 * 1024) },
  { key: 'maxIntegrations', flag: '--max-integrations', env: 'GIJ_MOCK_MAX_INTEGRATIONS', meaning: 'Most integrations in one session (an add past it answers 507, a larger import 400)', parse: intIn(1, 10_000_000) },
  { key: 'indexDelayMs', flag: '--index-delay', env: 'GIJ_MOCK_INDEX_DELAY', meaning: 'Milliseconds each repository is INDEXING on the indexing clock (under --clock only POST /__mock/index moves it)', parse: intIn(0, 3_600_000) },
  { key: 'maxReindexThreads', flag: '--max-reindex-threads', env: 'GIJ_MOCK_MAX_REINDEX_THREADS', meaning: 'Reindex threads one session keeps (finished ones forgotten first; past it with none finished: 507)', parse: intIn(1, 1_000_000) },
  { key: 'maxIndexQueue', flag: '--max-index-queue', env: 'GIJ_MOCK_MAX_INDEX_QUEUE', meaning: 'Repositories waiting in one session\'s indexing queue (a reindex that would queue more: 507)', parse: intIn(1, 10_000_000) },
  { key: 'stateLimitBytes', flag: '--state-limit', env: 'GIJ_MOCK_STATE_LIMIT', meaning: 'Largest PUT /__mock/state body in bytes, after decoding (larger: 413)', parse: intIn(1, 256 * 1024 * 1024) },
  { key: 'maxProblems', flag: '--max-problems', env: 'GIJ_MOCK_MAX_PROBLEMS', meaning: 'Problems one state import 400 or start-up message lists; the rest are counted ("and N more")', parse: intIn(1, 1000) },
  { key: 'journalBodyLimitBytes', flag: '--journal-body-limit', env: 'GIJ_MOCK_JOURNAL_BODY_LIMIT', meaning: 'Bodies larger than this in bytes, after decoding, are journaled as a note', parse: intIn(0, 100 * 1024 * 1024) },
  { key: 'headersTimeoutMs', flag: '--headers-timeout', env: 'GIJ_MOCK_HEADERS_TIMEOUT', meaning: 'Milliseconds a client has to send the request headers (then 408)', parse: intIn(1000, 600_000) },
  { key: 'requestTimeoutMs', flag: '--request-timeout', env: 'GIJ_MOCK_REQUEST_TIMEOUT', meaning: 'Milliseconds a client has to send a whole request, headers and body, whether or not the operation reads the body (then 408)', parse: intIn(1000, 3_600_000) },
  { key: 'keepAliveTimeoutMs', flag: '--keep-alive-timeout', env: 'GIJ_MOCK_KEEP_ALIVE_TIMEOUT', meaning: 'Milliseconds an idle keep-alive connection stays open', parse: intIn(1, 600_000) },
  { key: 'idleTimeoutMs', flag: '--idle-timeout', env: 'GIJ_MOCK_IDLE_TIMEOUT', meaning: 'A connection on which no byte moves for this many ms is closed (slow readers); at least --max-delay + 1000', parse: intIn(1000, 3_600_000) },
  { key: 'maxConnections', flag: '--max-connections', env: 'GIJ_MOCK_MAX_CONNECTIONS', meaning: 'Most connections open at once, clamped to half the open-file limit; at the cap a new connection evicts the oldest one whose request has not arrived whole', parse: intIn(1, 1_000_000) },
];

export function describeDefault(key: keyof Config): string {
  const value = defaultConfig[key];
  if (key === 'users') return 'admin/admin (administrator), user/user';
  if (key === 'projects') return Object.entries(DEFAULT_PROJECTS).map(([k, id]) => `${k}=${id}`).join(',');
  if (value === undefined) return 'none';
  if (Array.isArray(value)) return value.length ? value.join(',') : 'none';
  return value === '' ? "''" : String(value);
}

/** One raw option value and where it came from (a flag, an environment variable or a library option name). */
interface RawOption {
  readonly option: (typeof OPTIONS)[number];
  readonly raw: string;
  readonly label: string;
}

/** The one checker behind the CLI and the library: parses every value with its OPTIONS row, reports every problem at once. */
function checkOptions(raws: readonly RawOption[], problems: string[], base: Config = defaultConfig): Config {
  const result: Record<string, unknown> = { ...base };
  let users: UsersFile | undefined;
  for (const { option, raw, label } of raws) {
    const before = problems.length;
    const parsed = option.parse(raw, problems, label);
    if (option.key === 'users') users = parsed as UsersFile;
    else if (problems.length === before) result[option.key] = parsed;
  }
  // The users file adds projects to --projects; its permissions may name either.
  if (users) {
    const before = problems.length;
    result.projects = mergeProjects(result.projects as Config['projects'], users, problems);
    problems.push(...unknownProjectProblems(users, result.projects as Config['projects']));
    if (problems.length === before) result.users = users.users;
  }
  // A fault rule may not ask for a longer delay than --max-delay allows (refused, not capped).
  const faults = result.faults as FaultSettings | undefined;
  if (faults) problems.push(...faultProblems(faults, result.maxDelayMs as number).map((p) => `--faults: ${p}`));
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(result as unknown as Config);
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
  const raws: RawOption[] = [];
  for (const option of OPTIONS) {
    const flagValue = fromFlags.get(option.flag);
    const raw = flagValue ?? env[option.env];
    if (raw !== undefined) raws.push({ option, raw, label: flagValue !== undefined ? option.flag : option.env });
  }
  return checkOptions(raws, problems);
}

/**
 * The library's options: the CLI options by their camelCase key (`contextPath` for `--context-path`),
 * each a string, number or boolean written as on the command line (file options take a path).
 * Checked by the same OPTIONS rows as the CLI; `base` supplies defaults (the library logs less).
 */
export function configFromOptions(options: Readonly<Record<string, unknown>>, base: Config = defaultConfig): Config {
  const problems: string[] = [];
  const raws: RawOption[] = [];
  for (const [key, value] of Object.entries(options ?? {})) {
    const option = OPTIONS.find((o) => o.key === key);
    if (!option) problems.push(`unknown option ${key} (known: ${OPTIONS.map((o) => o.key).join(', ')})`);
    else if (value === undefined) continue;
    else if (!['string', 'number', 'boolean'].includes(typeof value)) problems.push(`${key} must be a string, number or boolean as on the command line (${option.flag}), got ${value === null ? 'null' : typeof value}`);
    else raws.push({ option, raw: String(value), label: key });
  }
  return checkOptions(raws, problems, base);
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
function originList(raw: string, problems: string[], label: string): string[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 1 && items[0] === 'none') return [];
  if (items.length === 0) problems.push(`${label} must list origins, 'loopback' or 'none'`);
  return items.map((item) => {
    if (item === 'loopback') return item;
    let origin: string | undefined;
    try { origin = new URL(item).origin; } catch { /* reported below */ }
    // '*' is refused: with credentials allowed, any site could act as the visitor.
    if (item.includes('*') || !/^https?:\/\//.test(item) || origin !== item.replace(/\/$/, '').toLowerCase()) {
      problems.push(`${label}: '${item}' is not an origin like https://app.example.org:8443 (scheme, host, optional port; no path, no '*'), 'loopback' or 'none'`);
    }
    return origin ?? item;
  });
}
function hostList(raw: string, problems: string[], label: string): string[] {
  const items = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (items.length === 0) problems.push(`${label} must list host names`);
  for (const item of items) {
    if (!/^(\.?[a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/.test(item)) problems.push(`${label}: '${item}' is not a host name like jira-mock.test or .example.org (no scheme, port or '*')`);
  }
  return items;
}
function readJson(path: string, problems: string[], label: string): unknown {
  try {
    return readJsonFile(path);
  } catch (e) {
    problems.push(`${label}: cannot read ${path} as JSON (${(e as Error).message})`);
    return undefined;
  }
}
function seedFile(path: string, problems: string[], label: string): StateDocument | undefined {
  const doc = readJson(path, problems, label);
  if (doc === undefined) return undefined;
  try {
    fromStateDocument(doc, 0);
  } catch (e) {
    if (!(e instanceof StateError)) throw e;
    for (const p of e.problems) problems.push(`${label} ${path}: ${p}`);
  }
  return doc as StateDocument;
}
function stateFile(path: string, problems: string[], label: string): string {
  if (!existsSync(dirname(path) || '.')) problems.push(`${label}: the folder of ${path} does not exist`);
  return path;
}
function faultsFile(path: string, problems: string[], label: string): FaultSettings | undefined {
  const doc = readJson(path, problems, label);
  if (doc === undefined) return undefined;
  const validate = new SpecSchemas(loadSpec(`${projectRoot}/openapi/mock-admin.yaml`), 'request').validator('/components/schemas/FaultSettings');
  if (!validate(doc)) problems.push(`${label} ${path}: ${renderProblems(fromAjvErrors(validate.errors ?? []), doc, loadSpec()).problems}`);
  return doc as FaultSettings;
}
