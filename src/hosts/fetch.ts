// The fetch host: a WHATWG Request in, a Response out, for Node, Deno, Bun, workers and MSW. Web standards
// only (no node: module): the browser build of gij-mock/msw includes this file.
import type { BodyError, Engine, EngineRequest, EngineResponse, StreamedBody } from '../engine/types.js';

export type FetchHandler = (request: Request) => Promise<Response>;

// Content-Encoding → DecompressionStream format. Where the runtime cannot decode one (br in browsers), it is
// answered as unknown: 415, as the server answers an encoding it does not support.
const FORMATS: Record<string, string> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate', br: 'brotli' };

type ReadBody = { body?: Uint8Array; bodyError?: BodyError };
type Transform = { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
/** Decoders a runtime adds to DecompressionStream's, by Content-Encoding (Node: br through node:zlib). */
export type Decoders = Readonly<Record<string, () => Transform>>;

/** A DecompressionStream for the encoding, or undefined when unknown or this runtime cannot decode it (br in a browser). */
function decoderFor(encoding: string, extra: Decoders): Transform | undefined {
  try {
    return extra[encoding]?.() ?? (encoding in FORMATS ? new DecompressionStream(FORMATS[encoding] as ConstructorParameters<typeof DecompressionStream>[0]) : undefined);
  } catch {
    return undefined;
  }
}

/** The decoded body, at most `limit` bytes after decoding; reading stops as soon as it is past. */
async function readBody(request: Request, limit: number, decoders: Decoders): Promise<ReadBody> {
  if (request.body === null) return {};
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const decoder = encoding === 'identity' ? undefined : decoderFor(encoding, decoders);
  if (encoding !== 'identity' && decoder === undefined) {
    request.body.cancel().catch(() => {});
    return { bodyError: 'unknownEncoding' };
  }
  const reader = (decoder ? request.body.pipeThrough(decoder) : request.body).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      if ((size += r.value.byteLength) > limit) {
        reader.cancel().catch(() => {});
        return { bodyError: 'tooLarge' };
      }
      chunks.push(r.value);
    }
  } catch {
    return { bodyError: decoder ? 'badEncoding' : 'aborted' };
  }
  // No bytes is no body, as a Content-Length: 0 request over a socket.
  if (size === 0) return {};
  if (chunks.length === 1) return { body: chunks[0]! };
  const body = new Uint8Array(size);
  chunks.reduce((at, chunk) => (body.set(chunk, at), at + chunk.byteLength), 0);
  return { body };
}

/** The request as the engine takes it: raw path and query, lower-case headers (Host from the URL when absent). */
export async function toEngineRequest(engine: Engine, request: Request, decoders: Decoders = {}): Promise<EngineRequest> {
  const arrivedMs = Date.now();
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => void (headers[name] = value));
  headers.host ??= url.host;
  const limit = engine.bodyLimit(request.method, url.pathname);
  const read = limit > 0 ? await readBody(request, limit, decoders) : {};
  // fetch has no Content-Length of its own (a forbidden header): the engine tells a sent body from none by it.
  if (read.body !== undefined) headers['content-length'] ??= String(read.body.byteLength);
  return { method: request.method, path: url.pathname, query: url.search.slice(1), headers, arrivedMs, protocol: url.protocol.slice(0, -1), ...read };
}

const utf8 = new TextEncoder();

/** A streamed body as a ReadableStream of UTF-8 bytes: the slices already read, then the rest pulled one by one (back-pressure). */
function streamOf(read: string[], slices: AsyncIterator<string>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const ready = read.shift();
      if (ready !== undefined) return controller.enqueue(utf8.encode(ready));
      const next = await slices.next();
      if (next.done) controller.close();
      else controller.enqueue(utf8.encode(next.value));
    },
    cancel: async () => void (await slices.return?.()),
  });
}

/**
 * As the node host sends it: a whole body (a string, or a stream of one slice) as bytes with its Content-Length,
 * so HEAD (answered as GET, with no body) has the headers of GET; a longer stream slice by slice.
 */
export async function toResponse(answer: EngineResponse, method = 'GET'): Promise<Response> {
  const headers = new Headers(answer.headers);
  for (const [name, lines] of Object.entries(answer.headerLines ?? {})) for (const line of lines) headers.append(name, line);
  let whole = typeof answer.body === 'string' ? answer.body : undefined;
  let stream: ReadableStream<Uint8Array> | undefined;
  if (answer.body !== null && whole === undefined) {
    const slices = (answer.body as StreamedBody)[Symbol.asyncIterator]();
    const first = await slices.next();
    const second = first.done ? first : await slices.next();
    if (second.done) whole = first.done ? '' : first.value;
    else stream = streamOf([first.value as string, second.value], slices);
  }
  const bytes = whole === undefined ? undefined : utf8.encode(whole);
  if (bytes) headers.set('Content-Length', String(bytes.byteLength));
  return new Response(method === 'HEAD' ? null : (bytes ?? stream ?? null), { status: answer.status, headers });
}

/** The engine as a fetch handler. */
export function fetchHandlerOf(engine: Engine, decoders: Decoders = {}): FetchHandler {
  return async (request) => toResponse(await engine.handle(await toEngineRequest(engine, request, decoders)), request.method);
}
