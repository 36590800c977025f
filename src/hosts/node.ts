// The node:http host: a request listener that hands the engine plain data and writes its answer with one
// writeHead (Content-Length for a whole body) and one end; a streamed list slice by slice with 'drain'.
// It builds no Request/Response object and patches no global.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import { bodySent } from '../engine/body.js';
import type { Engine, EngineRequest, EngineResponse, ExternalValidation } from '../engine/types.js';
import { readBody } from './read-body.js';

const isPromise = <T>(v: T | Promise<T>): v is Promise<T> => typeof (v as { then?: unknown }).then === 'function';

/** The engine's request for a Node request: path and query split at the first '?', no URL object. */
export function engineRequest(req: IncomingMessage, url: string): EngineRequest {
  const q = url.indexOf('?');
  return { method: req.method ?? 'GET', path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), headers: req.headers, arrivedMs: Date.now() };
}

/** Reads the body when the route takes one, then asks the engine; writes the answer. */
export function serve(engine: Engine, req: IncomingMessage, res: ServerResponse, request: EngineRequest, external?: ExternalValidation): void {
  const limit = engine.bodyLimit(request.method, request.path);
  if (limit === 0 || !bodySent(request.headers)) return answer(res, engine.handle(request, external));
  // Named now: an answer Node's server gives while the body arrives (408, src/http-limits.ts) carries it too.
  const requestId = randomUUID();
  res.setHeader('X-Request-Id', requestId);
  void readBody(req, limit).then((read) => answer(res, engine.handle({ ...request, ...read, requestId }, external)));
}

function answer(res: ServerResponse, a: EngineResponse | Promise<EngineResponse>): void {
  if (isPromise(a)) void a.then((r) => send(res, r), () => res.destroy());
  else send(res, a);
}

export function send(res: ServerResponse, a: EngineResponse): void {
  if (res.destroyed) return;
  const headers = (a.headerLines ? { ...a.headers, ...a.headerLines } : a.headers) as OutgoingHttpHeaders;
  const { body } = a;
  if (body === null) return void res.writeHead(a.status, headers).end();
  if (typeof body === 'string') {
    headers['Content-Length'] = Buffer.byteLength(body);
    return void res.writeHead(a.status, headers).end(body);
  }
  void stream(res, a.status, headers, body[Symbol.asyncIterator]());
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

// One slice: a Content-Length, so HEAD (whose body Node drops) answers the same headers as GET. More: each
// slice waits for 'drain' and then a turn of the event loop, so other requests are answered in between.
async function stream(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, slices: AsyncIterator<string>): Promise<void> {
  let current = await slices.next();
  let next = current.done ? current : await slices.next();
  if (next.done) {
    const whole = current.done ? '' : current.value;
    headers['Content-Length'] = Buffer.byteLength(whole);
    return void res.writeHead(status, headers).end(whole);
  }
  res.writeHead(status, headers);
  while (!current.done) {
    if (res.destroyed) return void slices.return?.();
    if (!res.write(current.value)) await new Promise<void>((resolve) => { const done = () => { res.off('drain', done); res.off('close', done); resolve(); }; res.on('drain', done); res.on('close', done); });
    await turn();
    current = next;
    next = current.done ? current : await slices.next();
  }
  if (!res.destroyed) res.end();
}

/** The request listener of the CLI and startGijMock. */
export function nodeListener(engine: Engine): RequestListener {
  return (req, res) => serve(engine, req, res, engineRequest(req, req.url ?? '/'));
}
