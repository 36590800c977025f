// One JSON format for --seed files, GET/PUT /__mock/state and the entries of --state-file: integrations as
// add requests plus id and dates. Secrets are written as "***": no file or export ever holds one. What the
// rules need to pass again is kept without a value: which secrets were set (the "***" keys), and, as
// `usernameIsAll: true`, that `username` was "all" (TFS_SERVER with a pat).
import { readFileSync } from 'node:fs';
import { setImmediate as turn } from 'node:timers/promises';
import { inspectBody } from '../body-guard.js';
import { derive, rulesFromSpec, type StoredFields, type StoredIntegration } from '../integration-model.js';
import { loadSpec, SpecSchemas } from '../spec.js';
import { MAX_ID, type StoreSnapshot } from '../store.js';
import { countTheRest, fromAjvErrors, MAX_PROBLEMS, renderProblems } from '../validation-messages.js';
import { SECRET_FIELDS } from './journal.js';
import { fromRepositorySections, toRepositorySections, type RepositorySections } from './repository-state.js';

export type StateIntegration = Record<string, unknown> & { id: number; initDate: number; lastIndexedDate?: number; usernameIsAll?: true };
export interface StateDocument extends RepositorySections { nextId?: number; integrations: StateIntegration[] }
export const MASK = '***';

export class StateError extends Error {
  /** The first problems, then (when there were more) one "and N more problems" sentence. */
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'StateError';
  }
}

/** Collects at most `max` sentences; past that it only counts, so N bad entries never build N sentences. */
export class ProblemList {
  readonly kept: string[] = [];
  private total = 0;
  constructor(private readonly max: number) {}
  get full(): boolean { return this.total >= this.max; }
  get count(): number { return this.total; }
  /** Takes a sentence or a function that builds one (only called while there is room). */
  add(problem: string | (() => string)): void {
    if (this.total++ < this.max) this.kept.push(typeof problem === 'string' ? problem : problem());
  }
  error(prefix = ''): StateError {
    return new StateError(countTheRest(this.kept, this.total, 'problem').map((p) => prefix + p));
  }
}

/** One stored integration as a state entry: secrets masked, the fact that username was "all" kept. */
export function toStateIntegration(r: StoredIntegration): StateIntegration {
  const out: Record<string, unknown> = { id: r.id, initDate: r.initDate };
  if (r.lastIndexedDate !== undefined) out.lastIndexedDate = r.lastIndexedDate;
  for (const [key, value] of Object.entries(r.fields)) out[key] = SECRET_FIELDS.has(key) && value !== undefined ? MASK : value;
  if (r.fields.username === 'all') out.usernameIsAll = true;
  return out as StateIntegration;
}

export function toStateDocument(snapshot: StoreSnapshot): StateDocument {
  return { nextId: snapshot.nextId, integrations: snapshot.integrations.map(toStateIntegration), ...toRepositorySections(snapshot.repositories) };
}

const spec = loadSpec();
let integrationRule: ReturnType<SpecSchemas['validator']> | undefined;
let repositoryRule: ReturnType<SpecSchemas['validator']> | undefined;
const isId = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_ID;
const isTime = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= Number.MAX_SAFE_INTEGER;

/** The problem of a document holding more integrations than a session may (counted exactly, or "more than N"). */
export const tooManyEntries = (count: number | string, max: number): string =>
  `integrations has ${count} entries; a session holds at most ${max} (--max-integrations)`;

export interface StateLimits {
  /** Most integrations one document may hold (--max-integrations). */
  readonly maxIntegrations?: number;
  /** Most problem sentences in the error (--max-problems). */
  readonly maxProblems?: number;
}

/** Validates a state document (every entry against the add rules) and turns it into a store snapshot. */
export function fromStateDocument(doc: unknown, now: number, limits: StateLimits = {}): StoreSnapshot {
  const steps = checkDocument(doc, now, limits);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

const SLICE_MS = 10;
/**
 * fromStateDocument for a request: the event loop turns every ~10 ms of checking, so other requests are
 * answered during an import of 10,000 big entries (issue 19: probes waited 0.3-2 s). The document is the
 * request's own, so nothing can change it in between.
 */
export async function fromStateDocumentSliced(doc: unknown, now: number, limits: StateLimits = {}): Promise<StoreSnapshot> {
  const steps = checkDocument(doc, now, limits);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= SLICE_MS) { await turn(); sliceStart = performance.now(); }
  }
}

/** The checks of fromStateDocument; yields every few entries, where a caller may let the event loop turn. */
function* checkDocument(doc: unknown, now: number, limits: StateLimits): Generator<void, StoreSnapshot> {
  integrationRule ??= new SpecSchemas(spec, 'request').validator('/components/schemas/IntegrationRequest');
  const rules = rulesFromSpec(spec);
  const list = (doc as StateDocument | null)?.integrations;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !Array.isArray(list)) throw new StateError(['the state must be an object with an "integrations" array']);
  const max = limits.maxIntegrations ?? Infinity;
  if (list.length > max) throw new StateError([tooManyEntries(list.length, max)]);
  const problems = new ProblemList(limits.maxProblems ?? MAX_PROBLEMS);
  const nextId = (doc as StateDocument).nextId;
  // MAX_ID + 1 means "the id space is used up": what an export of a store holding id 2147483647 says.
  if (nextId !== undefined && !(Number.isInteger(nextId) && nextId >= 1 && nextId <= MAX_ID + 1)) problems.add(`nextId must be an integer from 1 to ${MAX_ID + 1}`);
  const records: StoredIntegration[] = [];
  const ids = new Set<number>();
  let maxId = 0;
  for (const e of list) if (isId(e?.id)) maxId = Math.max(maxId, e.id);
  for (let i = 0; i < list.length; i++) {
    if (i % 32 === 31) yield;
    const entry = list[i] as unknown;
    const where = `integrations[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) { problems.add(`${where} must be an object`); continue; }
    // Ajv's unevaluatedProperties lets keys named like Object.prototype members (toString, constructor…) through.
    const shape = inspectBody(entry);
    if (shape) { problems.add(`${where}: ${shape}`); continue; }
    const { id, initDate, lastIndexedDate, usernameIsAll, ...fields } = entry as StateIntegration;
    if (id !== undefined && !isId(id)) problems.add(`${where}.id must be an integer from 1 to ${MAX_ID}`);
    if (id !== undefined && ids.has(id)) problems.add(`${where}.id ${id} is used twice`);
    if (initDate !== undefined && !isTime(initDate)) problems.add(`${where}.initDate must be epoch milliseconds`);
    if (lastIndexedDate !== undefined && !isTime(lastIndexedDate)) problems.add(`${where}.lastIndexedDate must be epoch milliseconds`);
    if (usernameIsAll !== undefined && usernameIsAll !== true) problems.add(`${where}.usernameIsAll must be true when present`);
    if (usernameIsAll === true && fields.username !== undefined && fields.username !== MASK && fields.username !== 'all') problems.add(`${where}.usernameIsAll is true but username is neither "***" nor "all"`);
    if (usernameIsAll === true) fields.username = 'all';
    // Exports and state files of earlier versions wrote that "all" as "***"; the rule says what it was.
    if (fields.type === 'TFS_SERVER' && fields.username === MASK && fields.pat !== undefined && fields.password === undefined) fields.username = 'all';
    if (!integrationRule!(fields)) {
      const errors = integrationRule!.errors ?? [];
      problems.add(() => `${where}: ${renderProblems(fromAjvErrors(errors), fields, spec).problems}`);
      continue;
    }
    if (id === undefined && maxId >= MAX_ID) { problems.add(`${where} has no id and every id up to ${MAX_ID} is taken: give it a free id`); continue; }
    const recordId = id ?? ++maxId;
    ids.add(recordId);
    records.push({
      id: recordId, initDate: initDate ?? now, ...(lastIndexedDate === undefined ? {} : { lastIndexedDate }),
      fields: derive({ ...rules.defaults, ...fields } as StoredFields, rules),
    });
  }
  const repositories = repositorySections(doc as StateDocument, ids);
  for (const problem of repositories.problems) problems.add(problem);
  if (problems.count) throw problems.error();
  // Repository ids count in the one sequence too.
  for (const r of repositories.snapshot?.repositories ?? []) maxId = Math.max(maxId, r.id);
  return { nextId: Math.max(maxId + 1, nextId ?? 1), integrations: records, ...(repositories.snapshot ? { repositories: repositories.snapshot } : {}) };
}

/** The document's repositories, hosts and index, checked against its integration ids (fields: the spec's RepositorySettings). */
export function repositorySections(doc: RepositorySections, integrationIds: ReadonlySet<number>): ReturnType<typeof fromRepositorySections> {
  repositoryRule ??= new SpecSchemas(spec, 'request').validator('/components/schemas/RepositorySettings');
  return fromRepositorySections(doc, integrationIds, (fields) => {
    if (repositoryRule!(fields)) return undefined;
    return renderProblems(fromAjvErrors(repositoryRule!.errors ?? []), fields, spec).problems;
  });
}

export function readJsonFile(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
