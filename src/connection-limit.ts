// The bound on open connections (--max-connections), kept before file descriptors run out and with room
// for other clients: every test client is 127.0.0.1, so a per-address limit could not tell an attacker
// from the next test. At the cap, a new connection evicts the oldest one that has not delivered a whole
// request (headers or body still arriving, or an idle keep-alive); connections whose request is being
// handled or answered are kept. Only when every connection is busy is the new one refused (closed).
// (Node's server.maxConnections does the opposite: it drops the newcomer, so a flood of slow connections
// would lock every other client out until they time out.)
// Cost: a Set add/delete and one listener per connection; nothing per request.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

type HttpSocket = Socket & { _httpMessage?: { req?: { complete: boolean } } | null };

/** The process's soft open-file limit (Linux: /proc/self/limits); undefined where it cannot be read. */
export function openFileLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  if (text === undefined) {
    try { text = readFileSync('/proc/self/limits', 'utf8'); } catch { return undefined; }
  }
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(text)?.[1];
  return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
}

/** --max-connections, clamped to half the open-file limit: the rest stays for the state file, logs, and Node. */
export function effectiveMaxConnections(asked: number, fileLimit = openFileLimit()): number {
  return fileLimit === undefined ? asked : Math.max(1, Math.min(asked, Math.floor(fileLimit / 2)));
}

/** Busy: its request arrived whole and is being handled or answered. */
const isBusy = (socket: HttpSocket) => socket._httpMessage?.req?.complete === true;

export function limitConnections(server: Server, asked: number): number {
  const max = effectiveMaxConnections(asked);
  const open = new Set<HttpSocket>(); // insertion order = age: the first idle one found is the oldest
  server.on('connection', (socket: HttpSocket) => {
    if (open.size >= max) {
      let evicted = false;
      for (const candidate of open) {
        if (isBusy(candidate)) continue;
        open.delete(candidate);
        candidate.destroy();
        evicted = true;
        break;
      }
      if (!evicted) return void socket.destroy();
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return max;
}
