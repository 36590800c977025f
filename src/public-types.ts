// The library's public types. They import nothing but the generated spec types, so the published
// .d.ts needs nothing else installed (no express, no @types/node).
import type { components } from './generated/mock-admin.js';
import type { components as ApiComponents, Writable } from './generated/openapi.js';

type Schemas = components['schemas'];
export type JournalResponse = Schemas['JournalResponse'];
/** One integration of a state document: an Add New Integration body (openapi.yaml) plus id, initDate, lastIndexedDate. */
export type StateIntegration = Schemas['StateIntegration'] & Partial<Writable<ApiComponents['schemas']['IntegrationSettings']>>;
export type StateDocument = Omit<Schemas['StateDocument'], 'integrations'> & { integrations: StateIntegration[] };
/** What GET /__mock/state answers; secrets are "***". */
export type StateExport = Omit<Schemas['StateExport'], 'integrations'> & { integrations: StateIntegration[] };
export type FaultSettings = Schemas['FaultSettings'];
export type FaultsResponse = Schemas['FaultsResponse'];
/** POST /__mock/index: exactly one of `ms` or `steps`. */
export type IndexAdvance = { ms: number; steps?: never } | { steps: number; ms?: never };
export type IndexResponse = Schemas['IndexResponse'];
export type HostCatalogue = Schemas['HostCatalogue'];
export type HostsResponse = Schemas['HostsResponse'];

declare global {
  // As @types/node and lib.esnext.disposable declare it, for projects whose lib has neither.
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/**
 * The CLI options by their camelCase name (`--context-path` → `contextPath`), with the CLI's checks.
 * File options (`users`, `seed`, `faults`) take a path, as on the command line.
 * Defaults are the CLI's except `port` (0: any free port) and `logLevel` ('warn').
 */
export interface GijMockOptions {
  port?: number;
  host?: string;
  contextPath?: string;
  users?: string;
  /** Jira projects the server knows, 'KEY=id' comma-separated (default 'TEST=10000'); the users file may add more */
  projects?: string;
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  validateResponses?: boolean;
  bodyLimitBytes?: number;
  seed?: string;
  stateFile?: string;
  /** true: start on a damaged state file with what is valid, the damaged rest moved aside (README "State file") */
  repair?: boolean;
  clock?: number;
  journalLimit?: number;
  maxDelayMs?: number;
  faults?: string;
  /** Comma-separated origins whose pages may call gij-mock; 'loopback' (default) or 'none' */
  corsOrigins?: string;
  /** Comma-separated Host names answered besides loopback names and the host address */
  allowedHosts?: string;
  validation?: 'strict' | 'lenient';
  maxSessions?: number;
  /** Most bytes of integrations (as JSON) all sessions hold together (default 256 MiB) */
  maxStateBytes?: number;
  maxIntegrations?: number;
  /** Milliseconds each repository's reindex task runs (default 0) */
  indexDelayMs?: number;
  maxReindexThreads?: number;
  maxIndexQueue?: number;
  stateLimitBytes?: number;
  maxProblems?: number;
  journalBodyLimitBytes?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  idleTimeoutMs?: number;
  maxConnections?: number;
}

/** A bad option: `problems` lists every one (the message too). */
export interface GijMockConfigError extends Error {
  readonly name: 'ConfigError';
  readonly problems: readonly string[];
}

/** A failed listen of `startGijMock`: the message names host, port and cause; `code` is the system error's. */
export interface GijMockListenError extends Error {
  readonly name: 'ListenError';
  /** e.g. 'EADDRINUSE' (port in use), 'EACCES' (port below 1024), 'EADDRNOTAVAIL' (not this machine's address), 'ENOTFOUND' */
  readonly code: string | undefined;
}

/** Calls of the `/__mock` controls; `session` is the `X-Mock-Session` name (default: the default session). */
export interface MockControlsClient {
  reset(options?: { session?: string; all?: boolean }): Promise<void>;
  requests(options?: { operationId?: string; session?: string }): Promise<JournalResponse>;
  clearRequests(options?: { session?: string }): Promise<void>;
  state(options?: { session?: string }): Promise<StateExport>;
  setState(doc: StateDocument, options?: { session?: string }): Promise<{ success: true; integrations: number }>;
  faults(): Promise<FaultsResponse>;
  setFaults(settings: FaultSettings): Promise<FaultsResponse>;
  /** Moves the session's indexing clock by `ms` or by `steps` (a task's start or end each): what --clock waits for. */
  advanceIndex(by: IndexAdvance, options?: { session?: string }): Promise<IndexResponse>;
  /** The session's host catalogue: the repositories an added integration discovers. */
  hosts(options?: { session?: string }): Promise<HostsResponse>;
  setHosts(catalogue: HostCatalogue, options?: { session?: string }): Promise<HostsResponse>;
  /** Back to the default catalogue. */
  resetHosts(options?: { session?: string }): Promise<HostsResponse>;
}

export interface GijMock extends MockControlsClient {
  /** `http://127.0.0.1:<port>` plus the context path */
  readonly url: string;
  /** `url` + `/rest/gitplugin/1.0` */
  readonly apiUrl: string;
  readonly port: number;
  /** Stops the server: in-flight requests get a second, then are cut. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * gij-mock as a WHATWG fetch handler (createFetchHandler): `(request) => Promise<Response>`, no port; the
 * controls are functions that call it directly.
 */
export interface GijMockFetchHandler extends MockControlsClient {
  (request: Request): Promise<Response>;
  /** The URL the controls are called at: an origin plus the context path */
  readonly baseUrl: string;
  /** `baseUrl` + `/rest/gitplugin/1.0` */
  readonly apiUrl: string;
  /** Releases what the mock holds (the --state-file lock, timers). */
  close(): Promise<void>;
}

/** The parts of Node's IncomingMessage the handler's type names (structural: node:http's types fit). */
export interface NodeIncomingMessage {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: object;
}
/** The parts of Node's ServerResponse the handler's type names (structural: node:http's types fit). */
export interface NodeServerResponse {
  statusCode: number;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  end(): unknown;
}
/** A plain Node request handler, for `http.createServer(handler)` or supertest's `request(handler)`. */
export type NodeRequestHandler = (req: NodeIncomingMessage, res: NodeServerResponse) => void;
