// One JSON format for --seed files, GET/PUT /__mock/state and --state-file: integrations as add
// requests plus id and dates. Secrets are written as "***": no file or export ever holds one.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { inspectBody } from '../body-guard.js';
import { derive, rulesFromSpec, type StoredFields, type StoredIntegration } from '../integration-model.js';
import { loadSpec, SpecSchemas } from '../spec.js';
import type { StoreSnapshot } from '../store.js';
import { fromAjvErrors, renderProblems } from '../validation-messages.js';
import { redactSecrets } from './journal.js';

export type StateIntegration = Record<string, unknown> & { id: number; initDate: number; lastIndexedDate?: number };
export interface StateDocument { nextId?: number; integrations: StateIntegration[] }
export interface StateFile { format: typeof STATE_FORMAT; sessions: Record<string, StateDocument> }
export const STATE_FORMAT = 'gij-mock-state/1';

export class StateError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'StateError';
  }
}

export function toStateDocument(snapshot: StoreSnapshot): StateDocument {
  return {
    nextId: snapshot.nextId,
    integrations: snapshot.integrations.map((r) => ({
      id: r.id, initDate: r.initDate, ...(r.lastIndexedDate === undefined ? {} : { lastIndexedDate: r.lastIndexedDate }),
      ...(redactSecrets(r.fields) as Record<string, unknown>),
    })),
  };
}

const spec = loadSpec();
let integrationRule: ReturnType<SpecSchemas['validator']> | undefined;
const isId = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 2147483647;
const isTime = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= Number.MAX_SAFE_INTEGER;

/** Validates a state document (every entry against the add rules) and turns it into a store snapshot. */
export function fromStateDocument(doc: unknown, now: number): StoreSnapshot {
  integrationRule ??= new SpecSchemas(spec, 'request').validator('/components/schemas/IntegrationRequest');
  const rules = rulesFromSpec(spec);
  const list = (doc as StateDocument | null)?.integrations;
  if (doc === null || typeof doc !== 'object' || !Array.isArray(list)) throw new StateError(['the state must be an object with an "integrations" array']);
  const problems: string[] = [];
  const records: StoredIntegration[] = [];
  const ids = new Set<number>();
  let maxId = list.reduce((m, e) => (isId(e?.id) ? Math.max(m, e.id) : m), 0);
  list.forEach((entry, i) => {
    const where = `integrations[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return void problems.push(`${where} must be an object`);
    // Ajv's unevaluatedProperties lets keys named like Object.prototype members (toString, constructor…) through.
    const shape = inspectBody(entry);
    if (shape) return void problems.push(`${where}: ${shape}`);
    const { id, initDate, lastIndexedDate, ...fields } = entry;
    if (id !== undefined && !isId(id)) problems.push(`${where}.id must be an integer from 1 to 2147483647`);
    if (id !== undefined && ids.has(id)) problems.push(`${where}.id ${id} is used twice`);
    if (initDate !== undefined && !isTime(initDate)) problems.push(`${where}.initDate must be epoch milliseconds`);
    if (lastIndexedDate !== undefined && !isTime(lastIndexedDate)) problems.push(`${where}.lastIndexedDate must be epoch milliseconds`);
    if (!integrationRule!(fields)) {
      problems.push(`${where}: ${renderProblems(fromAjvErrors(integrationRule!.errors ?? []), fields, spec).problems}`);
      return;
    }
    const recordId = id ?? ++maxId;
    ids.add(recordId);
    records.push({
      id: recordId, initDate: initDate ?? now, ...(lastIndexedDate === undefined ? {} : { lastIndexedDate }),
      fields: derive({ ...rules.defaults, ...fields } as StoredFields, rules),
    });
  });
  if (problems.length) throw new StateError(problems);
  const nextId = (doc as StateDocument).nextId;
  return { nextId: Math.max(maxId + 1, isId(nextId) ? nextId! : 1), integrations: records };
}

export function readJsonFile(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Temp file + rename: a crash at any moment leaves either the old file or the new one, never half of one. */
export function writeStateFile(path: string, sessions: Record<string, StateDocument>): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ format: STATE_FORMAT, sessions } satisfies StateFile));
  renameSync(tmp, path);
}
