// The engine's platform for gij-mock/msw in a browser (swapped in for msw-platform.ts by scripts/bundle-msw.mjs):
// the specs built into the bundle, no served files, state in memory (file options need Node).
import type { Config } from '../config.js';
import type { EnginePlatform } from '../engine/types.js';
import { adminSpec, apiSpec } from './browser-shims/spec.js';
import { memoryState } from '../mock/memory-state.js';

/** The browser's DecompressionStream decodes gzip and deflate; br is answered as an unknown encoding (415). */
export const mswDecoders = {};

export function mswPlatform(config: Config): EnginePlatform {
  return { spec: apiSpec, adminSpec, asset: () => undefined, openState: () => memoryState(config) };
}
