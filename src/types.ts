// gij-mock/types: openapi-typescript's types of the Integration API (paths, components, operations)
// and, as MockAdmin, of the /__mock controls.
export type { components, operations, paths } from './generated/openapi.js';
export type * as MockAdmin from './generated/mock-admin.js';
