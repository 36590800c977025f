// What the stages know of one request as it goes through the engine (one object, no per-stage closures).
import type { Operation } from '../operations.js';
import type { Caller } from '../permissions.js';
import type { SchemaProblem } from '../validation-messages.js';
import type { EngineRequest } from './types.js';

export interface Exchange {
  readonly req: EngineRequest;
  /** As received, then GET for an API HEAD (stage 2). */
  method: string;
  /** Raw path, with the context path. */
  readonly path: string;
  readonly isApi: boolean;
  /** The spec operation an API request targets, if any. */
  readonly operation: Operation | undefined;
  readonly requestId: string;
  /** performance.now() at arrival, for the duration. */
  readonly started: number;
  /** Response headers set so far (X-Request-Id, CORS, Allow…): every answer, error or not, carries them. */
  readonly headers: Record<string, string>;
  session: string;
  /** The logged-in user (stage 5), for the operations whose answer depends on their project permissions. */
  caller?: Caller;
  /** Lenient mode's warnings so far. */
  readonly warnings: string[];
  /** Path parameters as written (percent-decoded). */
  params?: Record<string, string>;
  /** Query parameters, parsed on first use, then as the request checks rewrote them. */
  query?: Record<string, string | string[]>;
  /** The parsed body after lenient mode dropped unknown fields; what the validator sees. */
  body?: unknown;
  /** A copy of the body as sent (before a validator may fill defaults): what the handler and journal get. */
  sentBody?: unknown;
  /** The body before lenient mode dropped fields (journal). */
  receivedBody?: unknown;
  /** The body's decoded text, for the checks only the text can make (1.0). */
  rawBody?: string;
  bodyBytes: number;
  /** A body of a media type the operation does not take (415 at validation, as the validator answers it). */
  unsupportedType?: string;
  /** Problems of the request checks, named with the validator's. */
  problems?: SchemaProblem[];
  /** The catalogue code of an error answer (journal, log). */
  errorCode?: string;
}
