// npm run generate (and generate:check with --check): writes src/generated/request-types.d.ts, the
// request body schemas whose `if`/`then` rules pick fields by one property's value (IntegrationRequest
// by `type`) as discriminated unions, read from openapi/openapi.yaml. Any request schema with such rules
// is picked up; the generator names none.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../src/spec.js';
import { emitRequestTypes } from './request-types/emit.js';
import { requestSchemas, type Schema } from './request-types/rules.js';

export const REQUEST_TYPES_FILE = join(projectRoot, 'src', 'generated', 'request-types.d.ts');
const SPEC = join(projectRoot, 'openapi', 'openapi.yaml');

export function generateRequestTypes(spec: Schema = parse(readFileSync(SPEC, 'utf8')) as Schema): string {
  return emitRequestTypes(spec, requestSchemas(spec));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = generateRequestTypes();
  if (process.argv.includes('--check')) {
    if (readFileSync(REQUEST_TYPES_FILE, 'utf8') !== text) {
      process.stderr.write('src/generated/request-types.d.ts is out of date with openapi/openapi.yaml: run `npm run generate`\n');
      process.exit(1);
    }
    process.stdout.write('src/generated/request-types.d.ts is up to date\n');
  } else {
    writeFileSync(REQUEST_TYPES_FILE, text);
    process.stdout.write('wrote src/generated/request-types.d.ts\n');
  }
}
