// Limits of the HTTP server itself (not of any route): how long a client may take to send headers and a
// request, how long an idle keep-alive connection stays, and when a connection on which nothing moves
// (a client that never reads a large answer) is closed. Also answers a request Node cannot parse with
// the envelope, after the answer to any request already being handled on that connection.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from './config.js';

export type ServerLimits = Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'idleTimeoutMs' | 'maxDelayMs'>;

export function applyServerLimits(server: Server, config: ServerLimits): void {
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.headersTimeoutMs, config.requestTimeoutMs);
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // A delayed answer (Prefer: delay, fault rules) moves no byte while it waits: it must not count as idle.
  server.setTimeout(Math.max(config.idleTimeoutMs, config.maxDelayMs + 1000), (socket) => socket.destroy());
  server.on('clientError', answerUnparsable);
}

const REASONS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

/** Node's default writes a bare 400; this writes the envelope, once the in-flight answer (if any) is out. */
function answerUnparsable(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const [status, reason] = REASONS[err.code ?? ''] ?? [400, 'Bad Request'];
  const body = JSON.stringify({
    success: false,
    error: status === 408 ? 'The request was not received in time' : status === 431 ? 'The request headers are too large' : `The request is not valid HTTP (${err.code ?? 'parse error'})`,
    advice: status === 408 ? 'Send the whole request without pausing (see --headers-timeout and --request-timeout).' : 'Send one well-formed HTTP/1.1 request at a time.',
  });
  const reply = () => {
    if (!socket.writable) return void socket.destroy();
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  };
  // The request before the garbage reached its handler: let its answer leave first, then close.
  const inFlight = (socket as Duplex & { _httpMessage?: { writableFinished: boolean; once(e: string, f: () => void): void } })._httpMessage;
  if (inFlight && !inFlight.writableFinished) {
    inFlight.once('finish', reply);
    inFlight.once('close', () => { if (!inFlight.writableFinished) socket.destroy(); });
  } else reply();
}
