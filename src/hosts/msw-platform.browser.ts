// The engine's platform for gij-mock/msw in a browser (swapped in for msw-platform.ts by scripts/bundle-msw.mjs):
// the specs built into the bundle, no served files, state in memory (file options need Node).
import type { Config } from '../config.js';
import type { EnginePlatform } from '../engine/types.js';
import { adminSpec, apiSpec } from './browser-shims/spec.js';
import { memoryState } from './memory-state.js';

export function mswPlatform(config: Config): EnginePlatform {
  return { spec: apiSpec, adminSpec, asset: () => undefined, openState: (now) => memoryState(config, now) };
}
