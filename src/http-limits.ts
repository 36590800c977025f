// Limits of the HTTP server itself (not of any route): one deadline for a whole request (headers and
// body), how long an idle keep-alive connection stays, when a connection on which nothing moves (a client
// that never reads a large answer) is closed, and how many connections are open at once
// (src/connection-limit.ts). Also answers, with the envelope, a request Node cannot parse, a body cut short
// and a request not received in time — after the answer to any request already being handled on that connection.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from './config.js';
import { limitConnections } from './connection-limit.js';

export type ServerLimits = Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'idleTimeoutMs' | 'maxDelayMs' | 'maxConnections'>;

/** Call before the server listens: Node reads the deadline's checking interval when listening starts. */
export function applyServerLimits(server: Server, config: ServerLimits): void {
  // Node ends a request whose headers and body have not all arrived by requestTimeout (its parser stays
  // "active" until the message is complete, whether or not the handler reads the body), but it only looks
  // every connectionsCheckingInterval (30 s by default): a tenth of the deadline keeps a stalled request's
  // 408 within 10 % of it, and the check walks only requests still arriving (C++, no per-request cost).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(100, Math.min(1000, Math.floor(Math.min(config.headersTimeoutMs, config.requestTimeoutMs) / 10)));
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.headersTimeoutMs, config.requestTimeoutMs);
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // A delayed answer (Prefer: delay, fault rules) moves no byte while it waits: it must not count as idle.
  server.setTimeout(Math.max(config.idleTimeoutMs, config.maxDelayMs + 1000), (socket) => socket.destroy());
  server.on('clientError', answerUnparsable);
  limitConnections(server, config.maxConnections);
}

const REASONS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

function envelope(err: NodeJS.ErrnoException, inBody: boolean): { status: number; reason: string; body: string } {
  const [status, reason] = REASONS[err.code ?? ''] ?? [400, 'Bad Request'];
  const [error, advice] =
    status === 408 ? ['The request was not received in time', 'Send the whole request, headers and body, without pausing (see --headers-timeout and --request-timeout).']
    : status === 431 ? ['The request headers are too large', 'Send one well-formed HTTP/1.1 request at a time.']
    // llhttp's verdict when the connection ends (FIN) before Content-Length bytes or the last chunk arrived.
    : err.code === 'HPE_INVALID_EOF_STATE' && inBody ? ['The request body was cut short: the connection ended before the whole body arrived', 'Send as many bytes as Content-Length says (or end a chunked body with its last chunk) before closing.']
    : [`The request is not valid HTTP (${err.code ?? 'parse error'})`, 'Send one well-formed HTTP/1.1 request at a time.'];
  return { status, reason, body: JSON.stringify({ success: false, error, advice }) };
}

interface Incoming { readonly complete: boolean }
interface InFlight {
  readonly req?: Incoming;
  readonly headersSent: boolean;
  readonly writableFinished: boolean;
  writeHead(status: number, headers: Record<string, string | number>): InFlight;
  end(body: string): void;
  once(e: string, f: () => void): void;
}
type HttpSocket = Duplex & { _httpMessage?: InFlight | null; parser?: { incoming?: Incoming | null } | null };

/** Node's default writes a bare 400; this writes the envelope, once the in-flight answer (if any) is out. */
function answerUnparsable(err: NodeJS.ErrnoException, socket: HttpSocket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const inFlight = socket._httpMessage;
  // The request whose bytes were arriving: its headers reached the handler, its body did not all arrive
  // (stalled, cut short, a bad chunk). Its own answer is this error, unless one has already started.
  const receiving = socket.parser?.incoming;
  const inBody = receiving?.complete === false;
  const { status, reason, body } = envelope(err, inBody);
  if (inBody) {
    if (inFlight?.req === receiving && !inFlight.headersSent) {
      // Through the request's own response (its X-Request-Id, its access-log line); Connection: close makes
      // Node end the socket once it is written. The handler still waiting for the body then sees it closed.
      inFlight.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' }).end(body);
    } else if (inFlight && !inFlight.writableFinished) {
      inFlight.once('finish', () => socket.destroy());
      inFlight.once('close', () => socket.destroy());
    } else socket.destroy(); // answered already (a handler that ignores the body): nothing more can be said
    return;
  }
  const reply = () => {
    if (!socket.writable) return void socket.destroy();
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  };
  // The request before the garbage reached its handler: let its answer leave first, then close.
  if (inFlight && !inFlight.writableFinished) {
    inFlight.once('finish', reply);
    inFlight.once('close', () => { if (!inFlight.writableFinished) socket.destroy(); });
  } else reply();
}
