// What the validator is given at start and the patches that make its start cheap (README, "Patched
// dependencies"): the spec without annotations, $refParser mode 'none', $refs resolved without compiling,
// and response validators compiled per status when first used. Each must leave validation as it was.
import $RefParser from '@apidevtools/json-schema-ref-parser';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hasOnlyLocalRefs, loadSpec, projectRoot, withoutAnnotations, type JsonSchema } from '../../src/spec.js';

const documents = { openapi: loadSpec(), 'mock-admin': loadSpec(`${projectRoot}/openapi/mock-admin.yaml`) };

/** Every keyword value (not a schema: a property named `type` is not the keyword) under `key`, outside examples, in document order. */
function valuesOf(node: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const item of node) valuesOf(item, key, out);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'examples' || k === 'example') continue;
      if (k === key && (typeof v !== 'object' || Array.isArray(v))) out.push(v);
      valuesOf(v, key, out);
    }
  }
  return out;
}

describe('withoutAnnotations', () => {
  it('drops descriptions, summaries, examples, external docs and tags where they are keywords', () => {
    const schema = {
      description: 'people read this', summary: 's', example: 1, examples: [1], externalDocs: { url: 'u' }, tags: ['t'],
      type: 'object', required: ['a'], properties: { a: { type: 'string', description: 'gone too' } },
    };
    expect(withoutAnnotations(schema)).toEqual({ type: 'object', required: ['a'], properties: { a: { type: 'string' } } });
  });

  it('keeps properties, parameters and responses named like annotations, and data as it is', () => {
    const schema = {
      properties: { description: { type: 'string' }, examples: { type: 'array' }, tags: { const: { description: 'data' } } },
      allOf: [{ enum: [{ summary: 'data' }] }, { default: { example: 'data' } }],
    };
    expect(withoutAnnotations(schema)).toEqual(schema);
  });

  it('is a copy: changing it leaves the document as it was', () => {
    const before = structuredClone(documents.openapi);
    const view = withoutAnnotations(documents.openapi) as JsonSchema;
    (view.components as { schemas: Record<string, unknown> }).schemas = {};
    expect(documents.openapi).toEqual(before);
  });

  for (const [name, doc] of Object.entries(documents)) {
    it(`keeps every $ref, required list, enum, type and bound of ${name}.yaml`, () => {
      const view = withoutAnnotations(doc);
      for (const key of ['$ref', 'required', 'enum', 'const', 'type', 'pattern', 'format', 'maxLength', 'minimum', 'additionalProperties']) expect(valuesOf(view, key), key).toEqual(valuesOf(doc, key));
      expect(valuesOf(view, 'examples')).toEqual([]);
      expect(JSON.stringify(view).length).toBeLessThan(JSON.stringify(doc).length * 0.6);
    });
  }
});

describe("$refParser mode 'none'", () => {
  it('is chosen only for documents whose $refs all point into themselves', () => {
    expect(hasOnlyLocalRefs({ a: [{ $ref: '#/components/schemas/A' }] })).toBe(true);
    expect(hasOnlyLocalRefs({ a: { b: { $ref: 'other.yaml#/A' } } })).toBe(false);
    expect(hasOnlyLocalRefs({ properties: { $ref: { type: 'string' } } })).toBe(true);
  });

  for (const [name, doc] of Object.entries(documents)) {
    it(`skips nothing for ${name}.yaml: json-schema-ref-parser's bundle() leaves it as it is`, async () => {
      expect(hasOnlyLocalRefs(doc)).toBe(true);
      const view = withoutAnnotations(doc);
      expect(await $RefParser.bundle(structuredClone(view) as never)).toEqual(view);
    });
  }
});

// A spec whose request body and responses are $refs, with more than one status per operation.
const miniSpec = {
  openapi: '3.1.0',
  info: { title: 'patched validator', version: '1' },
  paths: {
    '/thing': {
      post: {
        requestBody: { $ref: '#/components/requestBodies/Thing' },
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } }, additionalProperties: false },
      Problem: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
    },
    requestBodies: { Thing: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
    responses: { NotFound: { description: 'none', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
  },
};

function miniApp() {
  const app = express();
  app.use(express.json());
  app.use(OpenApiValidator.middleware({ apiSpec: structuredClone(miniSpec) as never, validateRequests: { allErrors: true, allowUnknownQueryParameters: true }, validateResponses: true, validateApiSpec: false, $refParser: { mode: 'none' } }));
  // The handler answers what the query asks for: a status and a body shape, valid or not.
  app.post('/thing', (req, res) => {
    const status = Number(req.query.status ?? 200);
    res.status(status).json(req.query.bad ? { unexpected: true } : status === 200 ? req.body : { error: 'none' });
  });
  app.use((err: { status?: number; message: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err.status ?? 500).json({ message: err.message });
  });
  return app;
}

describe('the patched validator', () => {
  it('checks a request body given as a $ref to a component (resolved without compiling it)', async () => {
    const app = miniApp();
    expect((await request(app).post('/thing').send({ name: 'x' })).status).toBe(200);
    const bad = await request(app).post('/thing').send({ name: '', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/name/);
    expect(bad.body.message).toMatch(/additional/);
  });

  it('checks the response of each status, compiled when that status is first answered', async () => {
    const app = miniApp();
    expect((await request(app).post('/thing').send({ name: 'x' })).status).toBe(200);
    // 404's validator did not exist until now; a body that breaks its schema is still caught.
    const bad404 = await request(app).post('/thing?status=404&bad=1').send({ name: 'x' });
    expect(bad404.status).toBe(500);
    expect(bad404.body.message).toMatch(/error/);
    expect((await request(app).post('/thing?status=404').send({ name: 'x' })).status).toBe(404);
    expect((await request(app).post('/thing?bad=1').send({ name: 'x' })).status).toBe(500);
  });
});
