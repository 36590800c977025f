// Loads openapi/openapi.yaml once and compiles JSON Schema views of it (used by rules, seeds and tests).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema> };
};
export type JsonSchema = { [key: string]: unknown };

/** The package root, found from this module whether it runs from src/ (tsx, vitest) or dist/server/. */
export const projectRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/server/') ? '../../' : '../', import.meta.url));
export const defaultSpecPath = join(projectRoot, 'openapi', 'openapi.yaml');

const cache = new Map<string, OpenApiDocument>();

/** The parsed document. Callers must not mutate it: pass structuredClone() to code that does (EOV). */
export function loadSpec(path: string = defaultSpecPath): OpenApiDocument {
  let spec = cache.get(path);
  if (!spec) {
    spec = YAML.parse(readFileSync(path, 'utf8')) as OpenApiDocument;
    cache.set(path, spec);
  }
  return spec;
}

/**
 * Plain JSON Schema treats readOnly/writeOnly as annotations. A "response" view forbids writeOnly
 * properties (and no longer requires them); a "request" view does the same with readOnly ones.
 */
export function schemaView(node: unknown, view: 'request' | 'response'): unknown {
  if (Array.isArray(node)) return node.map((n) => schemaView(n, view));
  if (node === null || typeof node !== 'object') return node;
  const hidden = view === 'response' ? 'writeOnly' : 'readOnly';
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = schemaView(value, view);
  const props = out.properties as Record<string, JsonSchema> | undefined;
  if (props && typeof props === 'object') {
    const gone = Object.keys(props).filter((k) => props[k]?.[hidden] === true);
    for (const k of gone) props[k] = false as unknown as JsonSchema;
    if (Array.isArray(out.required)) out.required = out.required.filter((r) => !gone.includes(r as string));
  }
  return out;
}

const SPEC_ID = 'urn:gij-mock:openapi';

/** An Ajv 2020 instance holding one view of the whole document; look schemas up by JSON pointer. */
export class SpecSchemas {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(spec: OpenApiDocument, view: 'request' | 'response') {
    addFormats.default(this.ajv);
    this.ajv.addSchema({ ...(schemaView(spec, view) as JsonSchema), $id: SPEC_ID });
  }

  /** pointer such as `/components/schemas/Integration` */
  validator(pointer: string): ValidateFunction {
    let fn = this.compiled.get(pointer);
    if (!fn) {
      fn = this.ajv.getSchema(`${SPEC_ID}#${pointer}`);
      if (!fn) throw new Error(`No schema at ${pointer} in the OpenAPI document`);
      this.compiled.set(pointer, fn);
    }
    return fn;
  }
}
