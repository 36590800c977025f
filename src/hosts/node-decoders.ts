// Content-Encodings Node decodes that its DecompressionStream may not (br before Node 22), for the fetch host
// in Node (createFetchHandler, gij-mock/msw's Node build): the same decoding as the node:http host.
import { Duplex } from 'node:stream';
import { createBrotliDecompress } from 'node:zlib';
import type { Decoders } from './fetch.js';

export const nodeDecoders: Decoders = {
  br: () => Duplex.toWeb(createBrotliDecompress()) as unknown as ReturnType<Decoders[string]>,
};
