// src/spec.ts for the browser build: the same module, but loadSpec answers with the specs built into the
// bundle (dist/spec/*.json) instead of reading openapi/*.yaml (modules such as mock/state.ts call it while loading).
import adminCache from '../../../dist/spec/mock-admin.json' with { type: 'json' };
import apiCache from '../../../dist/spec/openapi.json' with { type: 'json' };
import type { OpenApiDocument } from '../../spec.js';

export * from '../../spec.js';

export const apiSpec = (apiCache as unknown as { document: OpenApiDocument }).document;
export const adminSpec = (adminCache as unknown as { document: OpenApiDocument }).document;

/** The built-in API spec, or the controls' one for a path naming mock-admin. */
export function loadSpec(path = 'openapi.yaml'): OpenApiDocument {
  return /mock-admin(\.yaml|\.json)?$/.test(path) ? adminSpec : apiSpec;
}
