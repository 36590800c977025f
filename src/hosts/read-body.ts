// Reads a request body for the engine (both Node hosts): only when the route takes one, decoded from
// Content-Encoding gzip, deflate or br with zlib, the route's limit applied to the decoded bytes DURING
// inflation (a small gzip bomb stops at the limit). On a failure the rest is read and dropped before the
// answer, so no reset races it.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { BodyError } from '../engine/types.js';

export interface ReadBody {
  readonly body?: Uint8Array;
  readonly bodyError?: BodyError;
}

const DECODERS: Readonly<Record<string, (() => Readable & NodeJS.WritableStream) | undefined>> = {
  gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress, identity: undefined,
};

export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  return new Promise((resolve) => {
    let settled = false;
    const fail = (bodyError: BodyError) => {
      if (settled) return;
      settled = true;
      if (req.complete || req.destroyed) return resolve({ bodyError });
      req.unpipe();
      req.on('end', () => resolve({ bodyError })).on('close', () => resolve({ bodyError })).resume();
    };
    if (!(encoding in DECODERS)) return fail('unknownEncoding');
    const decoder = DECODERS[encoding]?.();
    if (!decoder && declared !== undefined && declared > limit) return fail('tooLarge');
    const source: Readable = decoder ? req.pipe(decoder) : req;
    const chunks: Buffer[] = [];
    let size = 0;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        decoder?.destroy();
        return fail('tooLarge');
      }
      if (!settled) chunks.push(chunk);
    });
    source.on('end', () => {
      if (settled) return;
      if (!decoder && declared !== undefined && size !== declared) return fail('lengthMismatch');
      settled = true;
      resolve({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
    });
    if (decoder) decoder.on('error', () => fail('badEncoding'));
    req.on('aborted', () => fail('aborted'));
    req.on('error', () => fail('aborted'));
  });
}
