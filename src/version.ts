// The package version, read from package.json beside the running code (src/ or the installed dist/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './spec.js';

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}
