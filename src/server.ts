// Creates the HTTP server for a request handler and listens: the one place shared by the CLI (src/cli.ts)
// and the library (src/index.ts). Resolves with the bound address; rejects with one line naming host, port and cause.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyServerLimits, type ServerLimits } from './http-limits.js';

export interface Listening {
  readonly server: Server;
  /** The port actually bound (differs from the asked one for port 0) */
  readonly port: number;
  /** `http://<host>:<port>`; an IPv6 host is bracketed */
  readonly origin: string;
}

export class ListenError extends Error {
  /** The system error's code (e.g. 'EADDRINUSE'), for callers that decide on it (public-types.ts GijMockListenError). */
  readonly code: string | undefined;
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    super(`cannot listen on ${hostInUrl(host)}:${port}: ${describeCause(cause)}`);
    this.name = 'ListenError';
    this.code = cause.code;
  }
}

const CAUSES: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  ENOTFOUND: 'the host name does not resolve',
};
function describeCause(err: NodeJS.ErrnoException): string {
  const known = err.code ? CAUSES[err.code] : undefined;
  return known ? `${known} (${err.code})` : err.message;
}

/** Connections the kernel queues for accept (net.core.somaxconn caps it; 4096 on current Linux). */
export const LISTEN_BACKLOG = 4096;

export const hostInUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

export function listen(handler: RequestListener, host: string, port: number, limits: ServerLimits): Promise<Listening> {
  const server = createServer(handler);
  // Server-wide settings (headers, request, keep-alive and idle timeouts; unparsable requests) before listening.
  applyServerLimits(server, limits);
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(new ListenError(host, port, err));
    server.once('error', onError);
    // Node's default backlog (511) fills during a burst of new connections (a slow-connection flood), and a
    // connect that finds it full waits for the client's SYN retry, ~1 s; the kernel caps this at somaxconn.
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', onError);
      const bound = (server.address() as AddressInfo).port;
      resolve({ server, port: bound, origin: `http://${hostInUrl(host)}:${bound}` });
    });
  });
}

/** Stops accepting, lets in-flight requests finish for `graceMs`, then cuts what is left. */
export function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}
