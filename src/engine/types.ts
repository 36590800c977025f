// The engine's interface: a request as plain data in, a response as plain data out. Hosts (node:http,
// Express, fetch/MSW) translate to and from it; operation handlers are written against OperationCall.
// No framework type and no node: module here (a browser bundle includes this file).
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { FaultInjector } from '../mock/faults.js';
import type { Journal } from '../mock/journal.js';
import type { StateIo } from '../mock/state-files.js';
import type { Change, SessionStores } from '../sessions.js';
import type { OpenApiDocument } from '../spec.js';
import type { IntegrationStore } from '../store.js';
import type { SchemaProblem } from '../validation-messages.js';

/** What the host found while reading the body; the engine answers it in the envelope, at its stage. */
export type BodyError =
  /** past the route's limit (bodyLimit), counted after decoding */
  | 'tooLarge'
  /** Content-Encoding is unknown, or the bytes cannot be decoded with it */
  | 'badEncoding'
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

/** Problems found by a validator outside the engine (the Express host's express-openapi-validator). */
export interface ExternalValidation {
  readonly problems: readonly SchemaProblem[];
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

export interface EngineDeps {
  /** Clock for initDate; defaults to --clock, else Date.now */
  readonly now?: () => number;
  readonly logger?: Logger;
  /** Replaces file operations of --state-file (tests: a disk that fails); the node host passes node's. */
  readonly stateIo?: Partial<StateIo>;
  /** The API description; defaults to openapi/openapi.yaml. */
  readonly spec?: OpenApiDocument;
  /** 'external': request problems come from ExternalValidation (the Express host), not the engine's Ajv. */
  readonly requestValidation?: 'engine' | 'external';
}

export type CreateEngine = (config: Config, deps?: EngineDeps) => Engine;

/** What an operation handler is given: plain data, no request or response object. */
export interface OperationCall {
  /** The session's store, for reading (changes go through commit). */
  readonly store: IntegrationStore;
  readonly session: string;
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
