// Lenient mode's warnings: what strict mode would have refused, said in strict mode's own sentence, as
// one X-Gij-Mock-Warning response header per problem and on the request's journal entry.
import { countTheRest, MAX_PROBLEMS } from './validation-messages.js';

export const WARNING_HEADER = 'X-Gij-Mock-Warning';
/** At most this many warnings are listed per request (as many as a strict 400 names); the rest are counted in one more line. */
export const MAX_WARNINGS = MAX_PROBLEMS;
const MAX_WARNING_CHARS = 300;

/** Header values are kept to printable ASCII: anything else is written as a \uXXXX escape, then cut at 300 characters. */
function headerSafe(sentence: string): string {
  const escaped = sentence.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > MAX_WARNING_CHARS ? `${escaped.slice(0, MAX_WARNING_CHARS)}...` : escaped;
}

/** The warnings of a request, bounded (journal and header show the same list). */
export function boundedWarnings(all: readonly string[]): string[] {
  return countTheRest(all.slice(0, MAX_WARNINGS).map(headerSafe), all.length, 'warning');
}

/** Adds sentences to a request's list, each once. */
export function addWarnings(all: string[], sentences: readonly string[]): void {
  for (const s of sentences) if (!all.includes(s)) all.push(s);
}
