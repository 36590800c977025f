// What the engine needs from Node: the specs read from disk, the served files, and the state file
// (--state-file, with its I/O replaceable in tests). Both Node hosts (node:http, Express) use it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { EnginePlatform } from '../engine/types.js';
import { openPersistence } from '../mock/persistence.js';
import type { StateIo } from '../mock/state-files.js';
import { loadSpec, projectRoot } from '../spec.js';

const FILES: Readonly<Record<string, string>> = {
  'openapi.yaml': join(projectRoot, 'openapi', 'openapi.yaml'),
  'mock-admin.yaml': join(projectRoot, 'openapi', 'mock-admin.yaml'),
  'docs/index.html': join(projectRoot, 'dist', 'docs', 'index.html'),
  'docs/mock-admin.html': join(projectRoot, 'dist', 'docs', 'mock-admin.html'),
};

/** `notice`: where start-up tells what --repair did (the command: stderr; default: a warning in the log). */
export function nodePlatform(config: Config, stateIo?: Partial<StateIo>, notice?: (line: string) => void): EnginePlatform {
  return {
    spec: loadSpec(),
    adminSpec: loadSpec(FILES['mock-admin.yaml']),
    // Read on every request: docs built after the server started are served.
    asset: (name) => {
      const file = FILES[name];
      return file !== undefined && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    },
    openState: (now, logger) => openPersistence(config, now, { logger, io: stateIo, notice }),
  };
}
