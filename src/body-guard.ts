// Checks a parsed JSON body before anything recursive touches it: bounded depth, and no key that names
// an Object.prototype member (Ajv's unevaluatedProperties treats those as evaluated, and they are the
// prototype-pollution vector). Iterative, so a 100,000-deep body cannot overflow the stack here.

export const MAX_BODY_DEPTH = 32;
const PROTOTYPE_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** A problem sentence, or undefined when the body is fine. */
export function inspectBody(body: unknown): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: body, depth: 0, path: '' }];
  while (stack.length) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return `the body nests deeper than ${MAX_BODY_DEPTH} levels`;
    for (const key of Object.keys(value)) {
      const where = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && PROTOTYPE_KEYS.has(key)) return `${where} is not a field of this request`;
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: where });
    }
  }
  return undefined;
}
