// Sends one corpus, in one order, to two targets and lists where their answers differ: status, headers
// (all but those that differ between any two answers: Date, X-Request-Id, Connection, Keep-Alive) and the
// body byte for byte. A target is anything that answers a WireRequest: a socket, a fetch handler, MSW.
import type { WireRequest } from './corpus.js';

export interface Answer {
  readonly status: number;
  /** lower-case names; repeated headers joined as fetch joins them */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface DiffTarget {
  readonly name: string;
  send(request: WireRequest): Promise<Answer>;
  close(): Promise<void>;
}

export interface Difference {
  readonly index: number;
  readonly request: WireRequest;
  /** which parts differ, e.g. ["status", "header content-type", "body"] */
  readonly parts: readonly string[];
  readonly answers: readonly [Answer, Answer];
}

const PER_ANSWER_HEADERS = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

/** A target reached over HTTP at `origin` (scheme, host and port; the corpus's URLs carry the paths). */
export function httpTarget(name: string, origin: string, close: () => Promise<void>): DiffTarget {
  return {
    name,
    close,
    async send(request) {
      const res = await fetch(`${origin}${request.url}`, {
        method: request.method,
        headers: request.headers,
        // Bytes, not a string: fetch would add its own text/plain Content-Type to a string body.
        body: request.body === undefined ? undefined : Buffer.from(request.body),
      });
      return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: await res.text() };
    },
  };
}

export function partsThatDiffer(a: Answer, b: Answer): string[] {
  const parts: string[] = [];
  if (a.status !== b.status) parts.push('status');
  const names = new Set([...Object.keys(a.headers), ...Object.keys(b.headers)].filter((n) => !PER_ANSWER_HEADERS.has(n)));
  for (const name of [...names].sort()) if (a.headers[name] !== b.headers[name]) parts.push(`header ${name}`);
  if (a.body !== b.body) parts.push('body');
  return parts;
}

/** The reset of a request's session: its store goes, so the servers hold one case's changes at a time. */
const resetOf = (request: WireRequest): WireRequest => ({ label: 'reset', method: 'POST', url: '/__mock/reset', headers: { 'x-mock-session': request.headers['x-mock-session'] ?? 'default' } });

/**
 * Each request goes to both targets at once (the targets share nothing), the next only after both
 * answered, so each target sees the corpus in the same order. A case that changed something is undone.
 */
export async function runDifferential(targets: readonly [DiffTarget, DiffTarget], corpus: readonly WireRequest[]): Promise<Difference[]> {
  const differences: Difference[] = [];
  for (const [index, request] of corpus.entries()) {
    const answers = (await Promise.all(targets.map((t) => t.send(request)))) as [Answer, Answer];
    const parts = partsThatDiffer(...answers);
    if (parts.length) differences.push({ index, request, parts, answers });
    if (request.method !== 'GET' && answers.some((a) => a.status < 300)) await Promise.all(targets.map((t) => t.send(resetOf(request))));
  }
  return differences;
}

/** The report of one difference: the request, both answers, what differs. */
export function describeDifference(d: Difference, names: readonly [string, string]): string {
  const { request: r } = d;
  const show = (a: Answer) => `${a.status} ${JSON.stringify(a.headers)}\n    ${a.body}`;
  return [
    `#${d.index} ${r.label} — differs in: ${d.parts.join(', ')}`,
    `  ${r.method} ${r.url} ${JSON.stringify(r.headers)}${r.body === undefined ? '' : `\n    ${r.body}`}`,
    `  ${names[0]}: ${show(d.answers[0])}`,
    `  ${names[1]}: ${show(d.answers[1])}`,
  ].join('\n');
}
