// GIJ_TEST_HOST=fetch (test/helpers/target.ts): the fetch host behind a loopback node:http server, so that
// every in-process suite that speaks HTTP also runs against createFetchHandler's translation. The server
// part is only this adapter: node request → WHATWG Request (body as a web stream), Response → node response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Engine } from '../../src/engine/types.js';
import { fetchHandlerOf } from '../../src/hosts/fetch.js';
import { nodeDecoders } from '../../src/hosts/node-decoders.js';

export function fetchHostListener(engine: Engine): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = fetchHandlerOf(engine, nodeDecoders);
  return (req, res) => {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url}`, {
      method: req.method,
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
    } as RequestInit);
    handle(request)
      .then(async (response) => {
        const lines: string[] = [];
        response.headers.forEach((value, name) => lines.push(name, value));
        res.writeHead(response.status, lines);
        if (response.body === null) return void res.end();
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
        res.end();
      })
      .catch((e: unknown) => {
        res.destroy(e as Error);
      });
  };
}
