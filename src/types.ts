// gij-mock/types: openapi-typescript's types of the Integration API (paths, components, operations)
// and, as MockAdmin, of the /__mock controls.
// Readable<T>/Writable<T> strip the readOnly/writeOnly markers (--read-write-markers), as openapi-fetch does.
export type { components, operations, paths, Readable, Writable } from './generated/openapi.js';
export type * as MockAdmin from './generated/mock-admin.js';
// The request bodies with per-value rules as discriminated unions, e.g. IntegrationRequestUnion
// (one member per `type`) and IntegrationRequestByType['AWS'] (scripts/generate-request-types.ts).
export type * from './generated/request-types.js';
