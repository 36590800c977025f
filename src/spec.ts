// Loads openapi/openapi.yaml once and compiles JSON Schema views of it (used by rules, seeds and tests).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema> };
};
export type JsonSchema = { [key: string]: unknown };

/** The package root, found from this module whether it runs from src/ (tsx, vitest), dist/server/ or the bundle in dist/bundle/ (the installed package). */
export const projectRoot = fileURLToPath(new URL(/\/dist\/(server|bundle)\/[^/]+$/.test(import.meta.url) ? '../../' : '../', import.meta.url));
export const defaultSpecPath = join(projectRoot, 'openapi', 'openapi.yaml');

const cache = new Map<string, OpenApiDocument>();
/** `npm run build` writes each spec here as JSON, tagged with the SHA-256 of the YAML it came from. */
export const specCacheDir = join(projectRoot, 'dist', 'spec');

interface SpecCacheFile {
  readonly yamlSha256: string;
  readonly document: OpenApiDocument;
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const cachePathOf = (yamlPath: string, cacheDir: string) => join(cacheDir, `${basename(yamlPath, '.yaml')}.json`);
// The yaml package is imported only when no up-to-date JSON exists: importing and parsing it took
// ~100 ms of the server's start-up (bench/results.md).
const parseYaml = (text: string) => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text) as OpenApiDocument;

function readCached(yamlPath: string, yamlSha256: string, cacheDir: string): OpenApiDocument | undefined {
  try {
    const cached = JSON.parse(readFileSync(cachePathOf(yamlPath, cacheDir), 'utf8')) as SpecCacheFile;
    return cached.yamlSha256 === yamlSha256 ? cached.document : undefined;
  } catch {
    return undefined; // no cache (tests, tsx) or an unreadable one: the YAML is the source
  }
}

/**
 * The parsed document. The YAML is always read; its JSON twin from the build is used only when it was
 * made from these exact bytes, so an edited spec takes effect on restart without a rebuild.
 * Callers must not mutate the result: pass structuredClone() to code that does (EOV).
 */
export function loadSpec(path: string = defaultSpecPath, cacheDir: string = specCacheDir): OpenApiDocument {
  let spec = cache.get(path);
  if (!spec) {
    const text = readFileSync(path, 'utf8');
    const digest = sha256(text);
    spec = readCached(path, digest, cacheDir) ?? parseYaml(text);
    cache.set(path, spec);
  }
  return spec;
}

/** Writes the JSON twin of each YAML spec into dist/spec (run by `npm run build`). */
export function writeSpecCache(yamlPaths: readonly string[], cacheDir: string = specCacheDir): void {
  mkdirSync(cacheDir, { recursive: true });
  for (const path of yamlPaths) {
    const text = readFileSync(path, 'utf8');
    const file: SpecCacheFile = { yamlSha256: sha256(text), document: parseYaml(text) };
    writeFileSync(cachePathOf(path, cacheDir), JSON.stringify(file));
  }
}

/**
 * Whether every `$ref` in the document is a local JSON pointer (`#/…`). json-schema-ref-parser's bundle(),
 * which the validator runs at start, leaves such a document as it is (test/unit/validator-start.test.ts).
 */
export function hasOnlyLocalRefs(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(hasOnlyLocalRefs);
  if (node === null || typeof node !== 'object') return true;
  return Object.entries(node).every(([key, value]) => (key === '$ref' && typeof value === 'string' ? value.startsWith('#/') : hasOnlyLocalRefs(value)));
}

// Objects whose keys are names (a property called `description` is not an annotation) and keywords
// whose values are data, copied as they are.
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'schemas', 'responses', 'parameters', 'headers', 'content', 'securitySchemes', 'requestBodies', 'links', 'callbacks', 'pathItems', 'paths', 'webhooks', 'variables', 'encoding', 'mapping']);
const DATA_KEYWORDS = new Set(['const', 'enum', 'default']);
const isAnnotation = (key: string, value: unknown) =>
  ((key === 'description' || key === 'summary') && typeof value === 'string') || key === 'example' || key === 'examples' || key === 'externalDocs' || key === 'tags';

/**
 * A deep copy of an OpenAPI document without what only people read (descriptions, summaries, examples,
 * external docs, tags): what the validator is given. Its start-up traverses, clones and compiles every
 * node, and these are ~40 % of this spec's nodes (bench/results.md, start-up).
 */
export function withoutAnnotations(node: unknown, context: 'keywords' | 'names' | 'data' = 'keywords'): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutAnnotations(item, context === 'data' ? 'data' : 'keywords'));
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const key of Object.keys(node)) {
    const value = (node as JsonSchema)[key];
    if (context !== 'keywords') out[key] = withoutAnnotations(value, context === 'data' ? 'data' : 'keywords');
    else if (!isAnnotation(key, value)) out[key] = withoutAnnotations(value, DATA_KEYWORDS.has(key) ? 'data' : NAME_MAPS.has(key) ? 'names' : 'keywords');
  }
  return out;
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
/** The id of the schema at a JSON pointer of the document in a specAjv() instance. */
export const specSchemaId = (pointer: string) => `${SPEC_ID}#${pointer}`;

/**
 * The Ajv 2020 instance holding one view of the whole document. `source` keeps the generated code, for
 * the build's precompiled validators (scripts/build-validators.ts); validation is the same either way.
 */
export function specAjv(spec: OpenApiDocument, view: 'request' | 'response', source = false): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, code: { source } });
  addFormats.default(ajv);
  ajv.addSchema({ ...(schemaView(spec, view) as JsonSchema), $id: SPEC_ID });
  return ajv;
}

/**
 * An Ajv 2020 instance holding one view of the whole document; look schemas up by JSON pointer.
 * Nothing is built until the first validator() call: the server's users of it (update, PUT
 * /__mock/faults) are rare, and building at start cost start-up time (bench/results.md).
 */
export class SpecSchemas {
  private ajv?: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly spec: OpenApiDocument,
    private readonly view: 'request' | 'response',
  ) {}

  /** pointer such as `/components/schemas/Integration` */
  validator(pointer: string): ValidateFunction {
    let fn = this.compiled.get(pointer);
    if (!fn) {
      this.ajv ??= specAjv(this.spec, this.view);
      fn = this.ajv.getSchema(specSchemaId(pointer));
      if (!fn) throw new Error(`No schema at ${pointer} in the OpenAPI document`);
      this.compiled.set(pointer, fn);
    }
    return fn;
  }
}
