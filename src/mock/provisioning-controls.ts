// What the issue-21 mock controls do, as plain functions the controls route table can call:
// POST /__mock/index {"ms": n} | {"steps": n} moves a session's indexing clock (the only way under --clock),
// PUT /__mock/hosts sets the session's host catalogue (DELETE: back to the default), GET /__mock/hosts reads it.
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { DEFAULT_CATALOGUE, parseCatalogue, type HostCatalogue } from '../host-catalogue.js';
import { planAdvance, queueOf, type IndexFault, type Plan } from '../provisioning.js';
import type { QueueLimits } from '../reindex-queue.js';
import type { Change } from '../sessions.js';
import type { IntegrationStore } from '../store.js';

/** Most steps or milliseconds one control call moves the clock (a day; steps: one start or end each). */
export const MAX_ADVANCE = 86_400_000;

export const queueLimitsOf = (config: Pick<Config, 'indexDelayMs' | 'maxReindexThreads' | 'maxIndexQueue'>): QueueLimits =>
  ({ delayMs: config.indexDelayMs, maxThreads: config.maxReindexThreads, maxQueue: config.maxIndexQueue });

const invalid = (problems: string) => ApiError.of('invalidRequest', { problems });

/** POST /__mock/index: the plan to commit, or undefined when nothing moves. Answer with indexAnswer() after the commit. */
export function advanceIndex(store: IntegrationStore, body: unknown, limits: QueueLimits, now: number, fault?: IndexFault): Plan | undefined {
  const b = (body ?? {}) as Record<string, unknown>;
  const keys = Object.keys(b);
  if (typeof body !== 'object' || body === null || Array.isArray(body) || keys.length !== 1 || !['ms', 'steps'].includes(keys[0]!)) throw invalid('send {"ms": n} or {"steps": n}');
  const n = b[keys[0]!];
  if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > MAX_ADVANCE) throw invalid(`${keys[0]} must be an integer from 0 to ${MAX_ADVANCE}`);
  const queue = queueOf(store, limits);
  const to: { now: number } | { steps: number } = keys[0] === 'ms' ? { now: presentOf(queue, now) + (n as number) } : { steps: n as number };
  const plan = planAdvance(store, to, limits, fault);
  if (plan || !('now' in to) || to.now === queue.clock) return plan;
  // Nothing was due by then, but the clock still moves: a running task's percentage and a finished thread's hour count from it.
  queue.advance(to.now);
  return (session) => ({ op: 'index', session, queue: queue.snapshot() });
}

/**
 * Where a session's indexing clock stands: the queue's own clock while it has work (under --clock it runs
 * ahead of the fixed time); an idle queue is at the server's present (a fresh session's queue has no clock yet).
 */
const presentOf = (queue: { clock: number; idle: boolean }, now: number) => (queue.idle ? Math.max(queue.clock, now) : queue.clock);

/** The answer of POST /__mock/index: where the session's indexing clock is and whether anything is left. */
export function indexAnswer(store: IntegrationStore, limits: QueueLimits, now: number): { success: true; clock: number; idle: boolean } {
  const queue = queueOf(store, limits);
  return { success: true, clock: presentOf(queue, now), idle: queue.idle };
}

/** PUT /__mock/hosts: the change (a catalogue, or null for the default); every problem named in one 400. */
export function setHosts(session: string, body: unknown): Change {
  if (body === null) return { op: 'hosts', session, catalogue: undefined };
  const parsed = parseCatalogue(body);
  if ('problems' in parsed) throw invalid(parsed.problems.join('; '));
  return { op: 'hosts', session, catalogue: parsed.catalogue };
}

/** GET /__mock/hosts: the session's catalogue (the default when it set none). */
export const hostsOf = (store: IntegrationStore): { success: true; custom: boolean } & HostCatalogue =>
  ({ success: true, custom: store.repositories.hosts !== undefined, ...(store.repositories.hosts ?? DEFAULT_CATALOGUE) });
