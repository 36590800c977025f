// Serves a fetch handler ((Request) => Promise<Response>) on a loopback socket, so the suites written
// against a base URL (fetch, raw node:http requests) reach the fetch host unchanged: each request is
// read whole, turned into a WHATWG Request, and the Response is written back whole. Test-only:
// this is the translation a runtime (Deno, Bun, a worker) makes before calling the handler.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type FetchHandler = (request: Request) => Promise<Response>;

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && (chunks.length > 0 || req.headers['content-length'] !== undefined);
  // A Request cannot carry a GET or HEAD body; the fetch host never reads one there either.
  return new Request(`${origin}${req.url}`, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined });
}

/** A listening server on 127.0.0.1 (port 0) answering every request with `handler`. */
export async function serveFetchHandler(handler: FetchHandler): Promise<Server> {
  let origin = '';
  const server = createServer((req, res) => {
    void (async () => {
      const response = await handler(await toRequest(req, origin));
      const headers: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => void (headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value));
      // Read whole and sent with its length, as runtimes send a body of known size (test answers are small).
      const bytes = Buffer.from(await response.arrayBuffer());
      if (response.body !== null) headers['content-length'] = String(bytes.length);
      res.writeHead(response.status, headers).end(bytes);
    })().catch((e: unknown) => {
      // A throwing handler is a bug the test must see: the connection ends without an answer.
      console.error('fetch handler failed:', e);
      res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return server;
}
