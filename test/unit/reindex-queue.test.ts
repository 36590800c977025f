// The indexing queue: statuses on a controlled clock, merged duplicates, removals, faults, bounds, snapshots.
import { describe, expect, it } from 'vitest';
import { IndexQueue, QueueLimitError, THREAD_TTL_MS, threadIdOf, type QueueLimits } from '../../src/reindex-queue.js';

const limits: QueueLimits = { delayMs: 100, maxThreads: 3, maxQueue: 4 };
const repo = (id: number) => ({ id, name: `r${id}` });

describe('IndexQueue progress', () => {
  it('a thread moves QUEUED → INDEXING → UPDATED as the clock passes, with the percentage of the running task', () => {
    const q = new IndexQueue(limits);
    const id = q.reindex([repo(2)], 24, 1000);
    expect(id).toBe(threadIdOf(1));
    expect(q.status({ threadId: id }, 1000)).toEqual({ threadId: id, finished: false, messages: { 'Indexing r2': 0 }, errors: {}, lastOperationPercent: 0 });
    expect(q.advance(1000)).toEqual([{ kind: 'started', repoId: 2, at: 1000 }]);
    expect(q.status({ threadId: id }, 1040)).toMatchObject({ finished: false, messages: { 'Indexing r2': 40 } });
    expect(q.advance(1099)).toEqual([]);
    expect(q.advance(1100)).toEqual([{ kind: 'indexed', repoId: 2, at: 1100, status: 'UPDATED' }]);
    expect(q.status({ threadId: id }, 1100)).toEqual({ threadId: id, finished: true, messages: { 'Indexing r2': 100 }, errors: {}, lastOperationPercent: 100 });
  });
  it('nothing moves until advanced: a fixed clock steps one start or end at a time', () => {
    const q = new IndexQueue(limits);
    const id = q.reindex([repo(2), repo(3)], 24, 0);
    expect(q.step()).toEqual([{ kind: 'started', repoId: 2, at: 0 }]);
    expect(q.step()).toEqual([{ kind: 'indexed', repoId: 2, at: 100, status: 'UPDATED' }]);
    expect(q.status({ threadId: id }, q.clock)).toMatchObject({ finished: false, lastOperationPercent: 50 });
    expect(q.step()).toEqual([{ kind: 'started', repoId: 3, at: 100 }]);
    expect(q.step()).toEqual([{ kind: 'indexed', repoId: 3, at: 200, status: 'UPDATED' }]);
    expect(q.step()).toEqual([]);
    expect(q.idle).toBe(true);
  });
  it('a fault makes a repository end in ERROR, named in errors', () => {
    const q = new IndexQueue(limits);
    const id = q.reindex([repo(2), repo(3)], 24, 0);
    const events = q.advance(1000, (r) => (r === 3 ? 'fetch failed: host unreachable' : undefined));
    expect(events.filter((e) => e.kind === 'indexed')).toEqual([
      { kind: 'indexed', repoId: 2, at: 100, status: 'UPDATED' },
      { kind: 'indexed', repoId: 3, at: 200, status: 'ERROR', error: 'fetch failed: host unreachable' },
    ]);
    expect(q.status({ threadId: id }, 1000)).toMatchObject({ finished: true, errors: { r3: 'fetch failed: host unreachable' } });
  });
});

describe('IndexQueue order and merging', () => {
  it('higher priority runs first; equal priority in arrival order', () => {
    const q = new IndexQueue(limits);
    q.reindex([repo(2)], 5, 0);
    q.reindex([repo(3)], 30, 0);
    q.reindex([repo(4)], 30, 0);
    expect(q.advance(10_000).filter((e) => e.kind === 'started').map((e) => e.repoId)).toEqual([3, 4, 2]);
  });
  it('a duplicate of a waiting repository merges: highest priority, earliest start, both threads see it', () => {
    const q = new IndexQueue({ ...limits, maxThreads: 10 });
    q.reindex([repo(9)], 24, 0);
    q.advance(0); // 9 is running, so 2 waits
    const first = q.reindex([repo(2)], 5, 10);
    q.reindex([repo(3)], 20, 20);
    const second = q.reindex([repo(2)], 30, 30);
    expect(q.waiting).toBe(2);
    const started = q.advance(10_000).filter((e) => e.kind === 'started');
    expect(started.map((e) => [e.repoId, e.at])).toEqual([[2, 100], [3, 200]]);
    expect(q.status({ threadId: first }, 10_000)).toMatchObject({ finished: true });
    expect(q.status({ threadId: second }, 10_000)).toMatchObject({ finished: true });
  });
});

describe('IndexQueue removals', () => {
  it('a removal waits behind reindexing (priority 10), then drops what else waited for the repository', () => {
    const q = new IndexQueue({ ...limits, maxQueue: 10 });
    q.reindex([repo(2)], 24, 0);
    q.remove(repo(3), false, 0);
    q.remove(repo(3), true, 0);
    const late = q.reindex([repo(3)], 1, 0);
    expect(q.removalQueued(3)).toBe(true);
    const events = q.advance(10_000);
    expect(events).toEqual([
      { kind: 'started', repoId: 2, at: 0 },
      { kind: 'indexed', repoId: 2, at: 100, status: 'UPDATED' },
      { kind: 'removed', repoId: 3, at: 100, deleteFiles: true },
    ]);
    expect(q.status({ threadId: late }, 10_000)).toMatchObject({ finished: true, errors: { r3: 'the repository was removed before it was indexed' } });
  });
});

describe('IndexQueue bounds', () => {
  it('past maxQueue waiting tasks a request is refused whole', () => {
    const q = new IndexQueue(limits);
    q.reindex([repo(1), repo(2), repo(3)], 24, 0);
    expect(() => q.reindex([repo(4), repo(5)], 24, 0)).toThrow(new QueueLimitError('queue', 4));
    expect(q.waiting).toBe(3);
    q.reindex([repo(1), repo(4)], 24, 0); // 1 merges: one new task
    expect(q.waiting).toBe(4);
  });
  it('past maxThreads the oldest finished thread is forgotten; with none finished a new one is refused', () => {
    const q = new IndexQueue({ ...limits, maxQueue: 100 });
    const ids = [1, 2, 3].map((n) => q.reindex([repo(n)], 24, 0));
    expect(() => q.reindex([repo(4)], 24, 0)).toThrow(QueueLimitError);
    q.advance(100); // thread 1 finished
    q.reindex([repo(4)], 24, 100);
    expect(q.status({ threadId: ids[0]! }, 100)).toBe('unknown');
    expect(q.status({ threadId: ids[1]! }, 100)).toMatchObject({ finished: false });
  });
  it('a finished thread is forgotten an hour after its last task ended', () => {
    const q = new IndexQueue(limits);
    const id = q.reindex([repo(1)], 24, 0);
    q.advance(100);
    expect(q.status({ threadId: id }, 100 + THREAD_TTL_MS)).toMatchObject({ finished: true });
    expect(q.status({ threadId: id }, 101 + THREAD_TTL_MS)).toBe('unknown');
  });
});

describe('IndexQueue status without a thread id, and snapshots', () => {
  it('with a repoId, a thread answers only that repository part, or notIncluded', () => {
    const q = new IndexQueue(limits);
    const id = q.reindex([repo(2), repo(3)], 24, 0);
    expect(q.status({ threadId: id, repoId: 3 }, 0)).toEqual({ threadId: id, finished: false, messages: { 'Indexing r3': 0 }, errors: {}, lastOperationPercent: 0 });
    expect(q.status({ threadId: id, repoId: 7 }, 0)).toBe('notIncluded');
  });
  it('without a thread, repositories as they stand: waiting 0, indexing its share, otherwise 100 (errors by name)', () => {
    const q = new IndexQueue(limits);
    q.queueIndex([repo(2), repo(3)], 24, 0);
    q.advance(50);
    expect(q.standing([repo(2), repo(3), { ...repo(4), error: 'clone failed' }, repo(5)], 50)).toEqual({
      finished: false, messages: { 'Indexing r2': 50, 'Indexing r3': 0, 'Indexing r4': 100, 'Indexing r5': 100 }, errors: { r4: 'clone failed' }, lastOperationPercent: 62.5,
    });
    expect(q.standing([], 50)).toEqual({ finished: true, messages: {}, errors: {}, lastOperationPercent: 100 });
  });
  it('a queue restored from its snapshot answers and moves exactly as the original', () => {
    const q = new IndexQueue(limits);
    const id = q.reindex([repo(2), repo(3)], 24, 0);
    q.remove(repo(4), false, 0);
    q.advance(150);
    const copy = new IndexQueue(limits, JSON.parse(JSON.stringify(q.snapshot())));
    expect(copy.status({ threadId: id }, 150)).toEqual(q.status({ threadId: id }, 150));
    expect(copy.advance(10_000)).toEqual(q.advance(10_000));
    expect(copy.snapshot()).toEqual(q.snapshot());
  });
});

describe('IndexQueue own indexing', () => {
  it('queueIndex queues without a thread; an X1 for the same repository merges into it', () => {
    const q = new IndexQueue(limits);
    q.queueIndex([repo(2), repo(3)], 24, 0);
    expect(q.snapshot().threads).toEqual([]);
    const id = q.reindex([repo(3)], 30, 0);
    expect(q.waiting).toBe(2);
    expect(q.advance(10_000).filter((e) => e.kind === 'started').map((e) => e.repoId)).toEqual([3, 2]);
    expect(q.status({ threadId: id }, 10_000)).toMatchObject({ finished: true });
  });
});

describe('IndexQueue snapshots share what never changes', () => {
  it('a snapshot stays as it was while the queue it came from, and a queue built from it, move on', () => {
    const q = new IndexQueue({ ...limits, maxThreads: 10 });
    q.reindex([repo(2), repo(3)], 24, 0);
    q.remove(repo(4), true, 0);
    q.step();
    const snap = q.snapshot();
    const before = JSON.stringify(snap);
    const other = new IndexQueue({ ...limits, maxThreads: 10 }, snap);
    for (const queue of [q, other]) {
      queue.reindex([repo(3), repo(5)], 30, 10);
      queue.cancel([5], 'disabled', 10);
      queue.advance(10_000, (id) => (id === 3 ? 'broken' : undefined));
      queue.status({ threadId: threadIdOf(1) }, 10_000 + THREAD_TTL_MS + 1);
    }
    expect(JSON.stringify(snap)).toBe(before);
    expect(JSON.stringify(q.snapshot())).toBe(JSON.stringify(other.snapshot()));
  });
});
