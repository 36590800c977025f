// The integration store: ids, ascending list, snapshot/restore, and the cached client view.
import { describe, expect, it } from 'vitest';
import { createIntegration, rulesFromSpec, type IntegrationRequest, type StoredIntegration } from '../../src/integration-model.js';
import { loadSpec } from '../../src/spec.js';
import { IntegrationStore, MAX_ID } from '../../src/store.js';

const rules = rulesFromSpec(loadSpec());
const record = (id: number, body: Partial<IntegrationRequest> = {}): StoredIntegration =>
  createIntegration({ type: 'GITHUB', pat: 'p', displayName: `n${id}`, ...body }, id, 1000 + id, rules);
const add = (store: IntegrationStore, body: Partial<IntegrationRequest> = {}): StoredIntegration => store.put(record(store.peekNextId(), body));
const ids = (store: IntegrationStore): number[] => store.list().map((i) => i.id);

describe('IntegrationStore ids', () => {
  it('peekNextId on a new store is 1 and only a put advances it', () => {
    const store = new IntegrationStore();
    expect([store.peekNextId(), store.peekNextId()]).toEqual([1, 1]);
    add(store);
    expect(store.peekNextId()).toBe(2);
  });
  it('peekNextId after put of id MAX_ID is MAX_ID + 1 (the id space is used up)', () => {
    const store = new IntegrationStore();
    store.put(record(MAX_ID));
    expect(store.peekNextId()).toBe(MAX_ID + 1);
  });
  it('peekNextId after remove never reuses the removed id', () => {
    const store = new IntegrationStore();
    add(store);
    const second = add(store);
    expect(store.remove(second.id)).toBe(true);
    expect(store.peekNextId()).toBe(3);
  });
  it('peekNextId after put of a higher id continues above it', () => {
    const store = new IntegrationStore();
    store.put(record(10));
    expect(store.peekNextId()).toBe(11);
  });
  it('remove of an unknown id returns false and changes nothing', () => {
    const store = new IntegrationStore();
    add(store);
    expect(store.remove(42)).toBe(false);
    expect(store.size).toBe(1);
  });
});

describe('IntegrationStore list', () => {
  it('list after several adds and a remove is ascending by id', () => {
    const store = new IntegrationStore();
    for (let i = 0; i < 5; i++) add(store);
    store.remove(3);
    expect(ids(store)).toEqual([1, 2, 4, 5]);
  });
  it('list after an update keeps the id order', () => {
    const store = new IntegrationStore();
    for (let i = 0; i < 3; i++) add(store);
    store.put(record(1, { displayName: 'changed' }));
    expect(ids(store)).toEqual([1, 2, 3]);
  });
  it('list after put of records out of id order is still ascending by id', () => {
    const store = new IntegrationStore();
    store.put(record(5));
    store.put(record(2));
    expect(ids(store)).toEqual([2, 5]);
  });
});

describe('IntegrationStore snapshot and restore', () => {
  it('restore of an unordered snapshot lists ascending and keeps nextId', () => {
    const store = new IntegrationStore();
    store.restore({ nextId: 10, integrations: [record(3), record(1), record(7)] });
    expect(ids(store)).toEqual([1, 3, 7]);
    expect(store.peekNextId()).toBe(10);
  });
  it('restore with a nextId below the highest id continues above that id', () => {
    const store = new IntegrationStore();
    store.restore({ nextId: 1, integrations: [record(4)] });
    expect(store.peekNextId()).toBe(5);
  });
  it('restore replaces the whole content', () => {
    const store = new IntegrationStore();
    add(store);
    add(store);
    store.restore({ nextId: 9, integrations: [record(8)] });
    expect(ids(store)).toEqual([8]);
    expect(store.get(1)).toBeUndefined();
  });
  it('snapshot then restore into another store gives an equal list', () => {
    const store = new IntegrationStore();
    for (let i = 0; i < 3; i++) add(store);
    const copy = new IntegrationStore();
    copy.restore(store.snapshot());
    expect(copy.list()).toEqual(store.list());
    expect(copy.peekNextId()).toBe(store.peekNextId());
  });
});

describe('IntegrationStore records and views', () => {
  it('put freezes the record and its fields', () => {
    const store = new IntegrationStore();
    const stored = add(store);
    expect(Object.isFrozen(store.get(stored.id))).toBe(true);
    expect(Object.isFrozen(store.get(stored.id)?.fields)).toBe(true);
  });
  it('view of the same record twice renders equal objects that the caller may change', () => {
    const store = new IntegrationStore();
    const stored = add(store);
    const first = store.view(stored);
    first.displayName = 'changed by a caller';
    expect(store.view(stored)).not.toBe(first);
    expect(store.view(stored).displayName).not.toBe('changed by a caller');
  });
  it('view after put of a new record for the same id reflects the update', () => {
    const store = new IntegrationStore();
    const before = store.view(add(store, { displayName: 'before' }));
    store.put(record(1, { displayName: 'after' }));
    const after = store.view(store.get(1)!);
    expect(after).not.toBe(before);
    expect(after.displayName).toBe('after');
    expect(before.displayName).toBe('before');
    expect(store.list()[0]?.displayName).toBe('after');
  });
  it('view never shows the secrets stored in the record', () => {
    const store = new IntegrationStore();
    const view = store.view(add(store, { username: 'u', password: 'pw', pat: 'tok' }));
    for (const secret of ['username', 'password', 'pat']) expect(view).not.toHaveProperty(secret);
  });
  it('clear empties the store', () => {
    const store = new IntegrationStore();
    add(store);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.list()).toEqual([]);
  });
});
