// The fetch host: a WHATWG Request in, a Response out, for Node, Deno, Bun, workers and MSW. Web standards
// only (no node: module): the browser build of gij-mock/msw includes this file.
import type { BodyError, Engine, EngineRequest, EngineResponse, StreamedBody } from '../engine/types.js';

export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Content-Encoding → DecompressionStream format. Browsers have no br: where the runtime cannot decode an
 * encoding, it is answered as an unknown one (415, as the server answers an encoding it does not support).
 */
const FORMATS: Record<string, string> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate', br: 'brotli' };

type ReadBody = { body?: Uint8Array; bodyError?: BodyError };

/** The decoded body, at most `limit` bytes after decoding; reading stops as soon as it is past. */
async function readBody(request: Request, limit: number): Promise<ReadBody> {
  if (request.body === null) return {};
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  let stream: ReadableStream<Uint8Array> = request.body;
  if (encoding !== 'identity') {
    const format = FORMATS[encoding];
    let decoder: DecompressionStream | undefined;
    try {
      if (format !== undefined) decoder = new DecompressionStream(format as ConstructorParameters<typeof DecompressionStream>[0]);
    } catch {
      // this runtime cannot decode it (br in a browser)
    }
    if (decoder === undefined) {
      request.body.cancel().catch(() => {});
      return { bodyError: 'unknownEncoding' };
    }
    stream = stream.pipeThrough(decoder);
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      size += r.value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => {});
        return { bodyError: 'tooLarge' };
      }
      chunks.push(r.value);
    }
  } catch {
    return { bodyError: encoding === 'identity' ? 'aborted' : 'badEncoding' };
  }
  // No bytes is no body, as a Content-Length: 0 request over a socket.
  if (size === 0) return {};
  if (chunks.length === 1) return { body: chunks[0]! };
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return { body };
}

/** The request as the engine takes it: raw path and query, lower-case headers (Host from the URL when absent). */
export async function toEngineRequest(engine: Engine, request: Request, arrivedMs = Date.now()): Promise<EngineRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => void (headers[name] = value));
  headers.host ??= url.host;
  const limit = engine.bodyLimit(request.method, url.pathname);
  const read = limit > 0 ? await readBody(request, limit) : {};
  // fetch has no Content-Length of its own (a forbidden header): the engine tells a sent body from none by it.
  if (read.body !== undefined) headers['content-length'] ??= String(read.body.byteLength);
  return { method: request.method, path: url.pathname, query: url.search.slice(1), headers, arrivedMs, protocol: url.protocol.slice(0, -1), ...read };
}

/** A streamed body as a ReadableStream of UTF-8 bytes, pulled slice by slice (back-pressure). */
function streamOf(body: StreamedBody): ReadableStream<Uint8Array> {
  const slices = body[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await slices.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await slices.return?.();
    },
  });
}

export function toResponse(answer: EngineResponse): Response {
  const headers = new Headers(answer.headers);
  for (const [name, lines] of Object.entries(answer.headerLines ?? {})) for (const line of lines) headers.append(name, line);
  const body = answer.body === null || typeof answer.body === 'string' ? answer.body : streamOf(answer.body);
  return new Response(body, { status: answer.status, headers });
}

/** The engine as a fetch handler. */
export function fetchHandlerOf(engine: Engine): FetchHandler {
  return async (request) => toResponse(await engine.handle(await toEngineRequest(engine, request)));
}
