// Parses a UTF-8 PUT /__mock/state body in ~10 ms slices: JSON.parse of a 64 MiB document (10,000 entries of
// 10,000 project ids) held the event loop ~0.8 s, and so did every other request (issue 19). The entries'
// offsets come from scanSteps (scanState in slices), which also refuses a document past --max-integrations before anything is built;
// the rest of the document (nextId, …) is parsed on its own with an empty list in place of the entries.
import { setImmediate as turn } from 'node:timers/promises';
import { scanSteps } from './state-count.js';

const SLICE_MS = 10;
const BOM = [0xef, 0xbb, 0xbf];

/** What body-parser's json would have passed on: the error handler renders it (malformed JSON, not an object). */
function parseFailure(error: unknown, text: string): Error {
  return Object.assign(error instanceof Error ? error : new SyntaxError(String(error)), { status: 400, type: 'entity.parse.failed', body: text });
}

export type ParsedState = { tooMany: true } | { tooMany: false; value: unknown };

/**
 * The body as JSON.parse would read it (body-parser's rules: a leading BOM dropped, an empty body is {}, the
 * first character must be { or [), or `tooMany` when its integrations array has `maxEntries` + 1 entries or more.
 */
// Bytes as any host gives them (a Buffer from node:http, a Uint8Array from the fetch host), decoded without Buffer.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const textOf = (bytes: Uint8Array, start = 0, end = bytes.length) => utf8.decode(bytes.subarray(start, end));

export async function parseStateBody(bytes: Uint8Array, maxEntries: number): Promise<ParsedState> {
  const body = BOM.every((b, i) => bytes[i] === b) ? bytes.subarray(3) : bytes;
  if (body.length === 0) return { tooMany: false, value: {} };
  const steps = scanSteps(body, maxEntries + 1);
  let step = steps.next();
  for (; !step.done; step = steps.next()) await turn();
  const scan = step.value;
  if (scan.count > maxEntries) return { tooMany: true };
  const whole = () => {
    const text = textOf(body);
    let value: unknown;
    try { value = JSON.parse(text); } catch (e) { throw parseFailure(e, text); }
    // Valid JSON that is not an object or array: the error handler names what it is.
    if (!/^[\x20\x09\x0a\x0d]*[{[]/.test(text)) throw parseFailure(new SyntaxError('not an object'), text);
    return value;
  };
  // One integrations array, in an object: parsed entry by entry. Anything else (or any syntax error, for
  // JSON.parse's own message) in one step, as before.
  const [open, close] = [scan.bounds[0]!, scan.bounds.at(-1)!];
  // The scan does not match bracket kinds: the list must end with `]` (inside entries and around it, JSON.parse checks).
  if (scan.arrays !== 1 || scan.bounds.length < 2 || body[close] !== 0x5d) return { tooMany: false, value: whole() };
  try {
    const rest = JSON.parse(`${textOf(body, 0, open)}[]${textOf(body, close + 1)}`) as Record<string, unknown>;
    const entries: unknown[] = [];
    const empty = scan.count === 0 && body.subarray(open + 1, close).every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09);
    let sliceStart = performance.now();
    for (let i = 0; !empty && i + 1 < scan.bounds.length; i++) {
      entries.push(JSON.parse(textOf(body, scan.bounds[i]! + 1, scan.bounds[i + 1])));
      if (performance.now() - sliceStart >= SLICE_MS) { await turn(); sliceStart = performance.now(); }
    }
    rest.integrations = entries;
    return { tooMany: false, value: rest };
  } catch {
    return { tooMany: false, value: whole() };
  }
}
