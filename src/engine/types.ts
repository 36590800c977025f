// The engine's interface: a request as plain data in, a response as plain data out. Hosts (node:http,
// Express, fetch/MSW) translate to and from it; operation handlers are written against OperationCall.
// No framework type and no node: module here (a browser bundle includes this file).
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Caller } from '../permissions.js';
import type { FaultInjector } from '../mock/faults.js';
import type { Journal } from '../mock/journal.js';
import type { Change, SessionStores } from '../sessions.js';
import type { OpenApiDocument } from '../spec.js';
import type { IntegrationStore } from '../store.js';
import type { SchemaProblem } from '../validation-messages.js';

/** What the host found while reading the body; the engine answers it in the envelope, at its stage. */
export type BodyError =
  /** past the route's limit (bodyLimit), counted after decoding */
  | 'tooLarge'
  /** the bytes cannot be decoded with their Content-Encoding (gzip, deflate, br) */
  | 'badEncoding'
  /** a Content-Encoding other than gzip, deflate, br or identity */
  | 'unknownEncoding'
  /** the client stopped sending before the body ended */
  | 'aborted'
  /** fewer or more bytes than Content-Length said */
  | 'lengthMismatch';

export interface EngineRequest {
  /** As received, upper case; HEAD is kept (the engine answers it as GET without a body). */
  readonly method: string;
  /** Raw path, percent-encoding kept, no query (split at the first '?'). */
  readonly path: string;
  /** Raw query after '?', without it ('' when none). */
  readonly query: string;
  /** Lower-case names; a repeated header as the host gives it (node: joined by ', ', or an array). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Decoded bytes (Content-Encoding applied, within bodyLimit); absent when the route takes no body or none was sent. */
  readonly body?: Uint8Array;
  /** Set instead of (or with a partial) body when reading it failed. */
  readonly bodyError?: BodyError;
  /** Wall-clock arrival (Date.now()), for the journal. */
  readonly arrivedMs: number;
  /** The request id, when the host chose it (to name it on an answer of its own, e.g. a 408 while reading the body). */
  readonly requestId?: string;
  /** The protocol the client used, for links on the start page ('http' when absent). */
  readonly protocol?: string;
}

/** A body streamed as slices (a big list): the host writes each with back-pressure. */
export type StreamedBody = AsyncIterable<string>;

export interface EngineResponse {
  readonly status: number;
  /** Header names as sent (e.g. 'Content-Type'); one value each. */
  readonly headers: Record<string, string>;
  /** Headers that are sent as several lines (X-Gij-Mock-Warning), name → lines. */
  readonly headerLines?: Record<string, readonly string[]>;
  /** null: no body (204, HEAD). A string is sent whole, with Content-Length. */
  readonly body: string | null | StreamedBody;
}

/** What a request validator sees: path parameters as written, the query as the request checks left it, the body as sent (after lenient mode's drops). */
export interface ValidationView {
  readonly operationId: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[]>>;
  /** A copy: the validator may fill in defaults. */
  readonly body: unknown;
}

/**
 * A validator outside the engine (the Express host's express-openapi-validator), used with
 * requestValidation 'external' at the engine's validation stage, so 401/403/faults keep precedence.
 */
export interface ExternalValidation {
  validate(view: ValidationView): readonly SchemaProblem[] | Promise<readonly SchemaProblem[]>;
}

export interface Engine {
  /**
   * Most bytes (decoded) the route takes; 0 = the route takes no body and the host does not read it.
   * Called with the method as received and the raw path.
   */
  bodyLimit(method: string, path: string): number;
  /** Whether the path is one the engine answers (API, controls, docs); a mounted host passes the others on. */
  knows(method: string, path: string): boolean;
  /** Synchronous unless the request is delayed, streamed or an import. */
  handle(req: EngineRequest, external?: ExternalValidation): EngineResponse | Promise<EngineResponse>;
  /** The state the /__mock controls act on, for hosts that offer them as functions (MSW: no port). */
  readonly sessions: SessionStores;
  readonly journal: Journal;
  readonly faults: FaultInjector;
  /** Releases the state file's lock and timers. */
  close(): Promise<void>;
}

/** What the engine needs from its platform: specs, files and the state's storage (node: src/hosts/platform.ts). */
export interface EnginePlatform {
  /** The API description (openapi/openapi.yaml parsed). */
  readonly spec: OpenApiDocument;
  /** The controls' description (openapi/mock-admin.yaml parsed). */
  readonly adminSpec: OpenApiDocument;
  /** Served files by name ('openapi.yaml', 'mock-admin.yaml', 'docs/index.html', 'docs/mock-admin.html'); undefined when absent. */
  readonly asset: (name: string) => string | undefined;
  /** The session stores and how a change is kept (--state-file, --seed). */
  readonly openState: (now: () => number, logger: Logger) => {
    readonly sessions: SessionStores;
    readonly commit: (change: Change) => void;
    /** Lets go of the state file (Engine.close calls it). */
    readonly close: () => Promise<void>;
  };
}

export interface EngineDeps {
  readonly platform: EnginePlatform;
  /** Clock for initDate; defaults to --clock, else Date.now */
  readonly now?: () => number;
  readonly logger?: Logger;
  /** 'external': request problems come from ExternalValidation (the Express host), not the engine's Ajv. */
  readonly requestValidation?: 'engine' | 'external';
}

export type CreateEngine = (config: Config, deps: EngineDeps) => Engine;

/** What an operation handler is given: plain data, no request or response object. */
export interface OperationCall {
  /** The session's store, for reading (changes go through commit). */
  readonly store: IntegrationStore;
  readonly session: string;
  /** Who called, with their project permissions; absent only outside the engine (unit tests), where it means an administrator. */
  readonly caller?: Caller;
  /** Path parameters as written in the path (percent-decoded), e.g. { integrationId: '7' }. */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters after the request checks (lenient mode rewrites them); a repeated one is an array. */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** The body as the client sent it (parsed JSON, unknown fields dropped in lenient mode), undefined when none. */
  readonly body: unknown;
  /** Persists (with --state-file) and then applies a change of this session; throws ApiError 507 when it cannot. */
  commit(change: (session: string) => Change): void;
  /** Lenient mode's warnings (X-Gij-Mock-Warning and the journal). */
  warn(sentences: readonly string[]): void;
}

/** A handler's answer: status (200 when absent) and the JSON value, or a streamed body already rendered. */
export type HandlerResult =
  | { readonly status?: number; readonly json: unknown }
  | { readonly status?: number; readonly stream: StreamedBody };

/** Throws ApiError for every refusal; never writes errors itself. */
export type OperationHandler = (call: OperationCall) => HandlerResult | Promise<HandlerResult>;
