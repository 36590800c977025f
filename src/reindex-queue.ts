// The indexing queue of one session: reindex threads (X1 → thread id, X2 → progress) and queued removals, moved
// on a clock the caller owns (--index-delay per task; under --clock only a control call moves it). One worker,
// as the plugin's queue runs one task per repository: highest priority first, then the earliest. Pure: the
// caller applies the events (lastIndexedDate, state, removal) to its store through commit().
export type TaskStatus = 'QUEUED' | 'INDEXING' | 'UPDATED' | 'ERROR';
export type TaskOp = 'reindex' | 'remove';

export interface QueueTask {
  readonly seq: number;
  readonly op: TaskOp;
  readonly repoId: number;
  readonly name: string;
  readonly priority: number;
  /** Earliest start: a duplicate merged into the task keeps the earlier one. */
  readonly queuedAt: number;
  readonly threadIds: readonly string[];
  readonly deleteFiles?: boolean;
}

export interface ThreadEntry {
  readonly repoId: number;
  readonly name: string;
  readonly status: TaskStatus;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly error?: string;
}

export interface ReindexThread {
  readonly threadId: string;
  readonly seq: number;
  readonly createdAt: number;
  readonly entries: readonly ThreadEntry[];
}

export type QueueEvent =
  | { readonly kind: 'started'; readonly repoId: number; readonly at: number }
  | { readonly kind: 'indexed'; readonly repoId: number; readonly at: number; readonly status: 'UPDATED' | 'ERROR'; readonly error?: string }
  | { readonly kind: 'removed'; readonly repoId: number; readonly at: number; readonly deleteFiles: boolean };

export interface QueueLimits {
  /** Milliseconds a reindex task is INDEXING (--index-delay); removals take none. */
  readonly delayMs: number;
  /** Threads kept for X2; past it the oldest finished one is forgotten, and with none finished X1 is refused. */
  readonly maxThreads: number;
  /** Reindex tasks waiting; a request that would queue more is refused whole. */
  readonly maxQueue: number;
}

export const DEFAULT_PRIORITY = 24;
/** A finished thread is kept this long (the app purges queue entries older than an hour), within maxThreads. */
export const THREAD_TTL_MS = 60 * 60 * 1000;
export const REMOVAL_PRIORITY = 10;

/** Why X1 cannot be taken: too many unfinished threads, or too many tasks waiting. */
export class QueueLimitError extends Error {
  constructor(readonly limit: 'threads' | 'queue', readonly max: number) {
    super(limit === 'threads' ? `${max} reindex threads are unfinished` : `the indexing queue holds at most ${max} tasks`);
    this.name = 'QueueLimitError';
  }
}

/** Deterministic thread ids: a version-4-shaped UUID whose last group is the thread's number. */
export const threadIdOf = (seq: number): string => `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`;

export interface QueueSnapshot {
  readonly clock: number;
  readonly freeAt: number;
  readonly taskSeq: number;
  readonly threadSeq: number;
  readonly tasks: readonly QueueTask[];
  readonly running?: { readonly task: QueueTask; readonly startedAt: number; readonly endsAt: number };
  readonly threads: readonly ReindexThread[];
}

/** What X2 reports (the REST example's shape; `threadId` a UUID string, contradiction 15). */
export interface ThreadStatus {
  readonly threadId: string;
  readonly finished: boolean;
  readonly messages: Record<string, number>;
  readonly errors: Record<string, string>;
  readonly lastOperationPercent: number;
}

const finished = (t: ReindexThread) => t.entries.every((e) => e.status === 'UPDATED' || e.status === 'ERROR');
const before = (a: QueueTask, b: QueueTask) => b.priority - a.priority || a.queuedAt - b.queuedAt || a.seq - b.seq;

type QueueState = Omit<{ -readonly [K in keyof QueueSnapshot]: QueueSnapshot[K] }, 'tasks' | 'threads'> & { tasks: QueueTask[]; threads: ReindexThread[] };

export class IndexQueue {
  private state: QueueState;

  // Tasks, threads and their entries are never changed in place (a change makes a new object), so a queue and
  // its snapshots share them and copy only the two arrays: a deep copy per request cost ~300 ms with 50,000
  // thread entries (1000 repositories, 50 reindexes).
  constructor(private readonly limits: QueueLimits, snapshot?: QueueSnapshot) {
    this.state = snapshot ? { ...snapshot, tasks: [...snapshot.tasks], threads: [...snapshot.threads] } : { clock: 0, freeAt: 0, taskSeq: 0, threadSeq: 0, tasks: [], threads: [] };
  }

  /** Everything, as plain JSON (state file, export); restoring it gives the same answers. */
  snapshot(): QueueSnapshot {
    return { ...this.state, tasks: [...this.state.tasks], threads: [...this.state.threads] };
  }

  get clock(): number { return this.state.clock; }
  get waiting(): number { return this.state.tasks.filter((t) => t.op === 'reindex').length; }
  get idle(): boolean { return !this.state.running && this.state.tasks.length === 0; }

  /**
   * X1: one thread over `repos`; each repository already waiting for a reindex has the request merged into that
   * task (highest priority, earliest start) instead of a second task. Refused whole past a bound.
   */
  reindex(repos: ReadonlyArray<{ id: number; name: string }>, priority: number, now: number): string {
    const s = this.state;
    const unique = this.admit(repos);
    this.purge(now);
    if (s.threads.length >= this.limits.maxThreads) {
      const oldest = s.threads.findIndex(finished);
      if (oldest === -1) throw new QueueLimitError('threads', this.limits.maxThreads);
      s.threads.splice(oldest, 1);
    }
    const threadId = threadIdOf(++s.threadSeq);
    s.threads.push({ threadId, seq: s.threadSeq, createdAt: now, entries: unique.map((r) => ({ repoId: r.id, name: r.name, status: 'QUEUED' })) });
    this.enqueue(unique, priority, now, threadId);
    return threadId;
  }

  /** The app's own indexing (a new integration's or repository's first index): queued like X1, with no thread. */
  queueIndex(repos: ReadonlyArray<{ id: number; name: string }>, priority: number, now: number): void {
    this.enqueue(this.admit(repos), priority, now, undefined);
  }

  /** The distinct repositories, or QueueLimitError when the tasks they add would pass maxQueue. */
  private admit(repos: ReadonlyArray<{ id: number; name: string }>): Array<{ id: number; name: string }> {
    const waiting = new Set(this.state.tasks.filter((t) => t.op === 'reindex').map((t) => t.repoId));
    const unique = [...new Map(repos.map((r) => [r.id, r])).values()];
    if (this.waiting + unique.filter((r) => !waiting.has(r.id)).length > this.limits.maxQueue) throw new QueueLimitError('queue', this.limits.maxQueue);
    return unique;
  }

  private enqueue(repos: ReadonlyArray<{ id: number; name: string }>, priority: number, now: number, threadId: string | undefined): void {
    const s = this.state;
    // Queueing at `now` puts the clock there: a control's "advance by ms" then counts from the request.
    s.clock = Math.max(s.clock, now);
    const ids = new Set(repos.map((r) => r.id));
    const merged = new Set<number>();
    s.tasks = s.tasks.map((t) => {
      if (t.op !== 'reindex' || !ids.has(t.repoId)) return t;
      merged.add(t.repoId);
      return { ...t, priority: Math.max(t.priority, priority), threadIds: threadId ? [...t.threadIds, threadId] : t.threadIds };
    });
    for (const r of repos) if (!merged.has(r.id)) s.tasks.push({ seq: ++s.taskSeq, op: 'reindex', repoId: r.id, name: r.name, priority, queuedAt: now, threadIds: threadId ? [threadId] : [] });
  }

  /**
   * Git data switched off (the repository or its integration disabled): its waiting reindex tasks leave the queue,
   * and the threads that waited for them show why (ERROR), so that a thread still finishes. One already INDEXING ends.
   */
  cancel(repoIds: readonly number[], error: string, now: number): void {
    const s = this.state;
    const ids = new Set(repoIds);
    const dropped = s.tasks.filter((t) => t.op === 'reindex' && ids.has(t.repoId));
    if (!dropped.length) return;
    s.clock = Math.max(s.clock, now);
    s.tasks = s.tasks.filter((t) => !dropped.includes(t));
    for (const t of dropped) this.mark(t, { status: 'ERROR', error, endedAt: now });
  }

  /** Queues the removal of a repository (priority 10); a second request merges (deleteFiles if either asked). */
  remove(repo: { id: number; name: string }, deleteFiles: boolean, now: number): void {
    const s = this.state;
    s.clock = Math.max(s.clock, now);
    const queued = s.tasks.find((t) => t.op === 'remove' && t.repoId === repo.id);
    if (queued) { s.tasks = s.tasks.map((t) => (t === queued ? { ...t, deleteFiles: t.deleteFiles || deleteFiles } : t)); return; }
    s.tasks.push({ seq: ++s.taskSeq, op: 'remove', repoId: repo.id, name: repo.name, priority: REMOVAL_PRIORITY, queuedAt: now, threadIds: [], deleteFiles });
  }

  /** Whether a removal of the repository is waiting. */
  removalQueued(repoId: number): boolean {
    return this.state.tasks.some((t) => t.op === 'remove' && t.repoId === repoId);
  }

  /** Moves the clock to `now`: every task that starts or ends by then does, in order. `fails` names an ERROR. */
  advance(now: number, fails: (repoId: number) => string | undefined = () => undefined): QueueEvent[] {
    const events: QueueEvent[] = [];
    for (;;) {
      const next = this.nextTransition();
      if (next === undefined || next > now) break;
      events.push(...this.transition(fails));
    }
    this.state.clock = Math.max(this.state.clock, now);
    return events;
  }

  /** One transition (a start or an end), the clock moved to when it happens: what a fixed clock's "step" is. */
  step(fails: (repoId: number) => string | undefined = () => undefined): QueueEvent[] {
    const at = this.nextTransition();
    if (at === undefined) return [];
    const events = this.transition(fails);
    this.state.clock = Math.max(this.state.clock, at);
    return events;
  }

  /** When the next start or end happens, or undefined when nothing is running or waiting. */
  nextTransition(): number | undefined {
    const s = this.state;
    if (s.running) return s.running.endsAt;
    const task = this.pick();
    return task ? Math.max(s.freeAt, s.clock, task.queuedAt) : undefined;
  }

  private pick(): QueueTask | undefined {
    let best: QueueTask | undefined;
    for (const t of this.state.tasks) if (!best || before(t, best) < 0) best = t;
    return best;
  }

  private transition(fails: (repoId: number) => string | undefined): QueueEvent[] {
    const s = this.state;
    if (s.running) {
      const { task, endsAt } = s.running;
      s.running = undefined;
      s.freeAt = endsAt;
      if (task.op === 'remove') {
        // Whatever else waited for the repository cannot run any more.
        const dropped = s.tasks.filter((t) => t.repoId === task.repoId);
        s.tasks = s.tasks.filter((t) => t.repoId !== task.repoId);
        for (const t of dropped) this.mark(t, { status: 'ERROR', error: 'the repository was removed before it was indexed', endedAt: endsAt });
        return [{ kind: 'removed', repoId: task.repoId, at: endsAt, deleteFiles: task.deleteFiles === true }];
      }
      const error = fails(task.repoId);
      this.mark(task, error === undefined ? { status: 'UPDATED', endedAt: endsAt } : { status: 'ERROR', error, endedAt: endsAt });
      return [{ kind: 'indexed', repoId: task.repoId, at: endsAt, status: error === undefined ? 'UPDATED' : 'ERROR', ...(error === undefined ? {} : { error }) }];
    }
    const task = this.pick()!;
    const startedAt = Math.max(s.freeAt, s.clock, task.queuedAt);
    s.tasks = s.tasks.filter((t) => t !== task);
    s.running = { task, startedAt, endsAt: startedAt + (task.op === 'remove' ? 0 : this.limits.delayMs) };
    this.mark(task, { status: 'INDEXING', startedAt });
    return task.op === 'remove' ? [] : [{ kind: 'started', repoId: task.repoId, at: startedAt }];
  }

  private mark(task: QueueTask, change: Partial<ThreadEntry>): void {
    if (!task.threadIds.length) return;
    const ids = new Set(task.threadIds);
    this.state.threads = this.state.threads.map((t) => (ids.has(t.threadId)
      ? { ...t, entries: t.entries.map((e) => (e.repoId === task.repoId ? { ...e, ...change } : e)) }
      : t));
  }

  /** Forgets finished threads whose last task ended more than THREAD_TTL_MS before `now`. */
  private purge(now: number): void {
    this.state.threads = this.state.threads.filter((t) => !finished(t) || now - Math.max(t.createdAt, ...t.entries.map((e) => e.endedAt ?? 0)) <= THREAD_TTL_MS);
  }

  /**
   * X2 with a thread id: 'unknown' for an id never given or forgotten; with `repoId`, only that repository's part
   * ('notIncluded' when the thread does not cover it).
   */
  status(query: { threadId: string; repoId?: number }, now: number): ThreadStatus | 'unknown' | 'notIncluded' {
    this.purge(now);
    const wanted = query.threadId.toLowerCase();
    const thread = this.state.threads.find((t) => t.threadId === wanted);
    if (!thread) return 'unknown';
    const entries = query.repoId === undefined ? thread.entries : thread.entries.filter((e) => e.repoId === query.repoId);
    if (!entries.length && query.repoId !== undefined) return 'notIncluded';
    return { threadId: thread.threadId, ...this.summary(entries, now) };
  }

  /** The text of the repository's newest ERROR among the threads kept (a first index has no thread). */
  lastError(repoId: number): string | undefined {
    let newest: ThreadEntry | undefined;
    for (const t of this.state.threads) {
      for (const e of t.entries) if (e.repoId === repoId && e.status === 'ERROR' && (newest === undefined || (e.endedAt ?? 0) >= (newest.endedAt ?? 0))) newest = e;
    }
    return newest?.error;
  }

  /** X2 without a thread id: the repositories as they stand (waiting 0, indexing its share, otherwise 100). */
  standing(repos: ReadonlyArray<{ id: number; name: string; error?: string }>, now: number): Omit<ThreadStatus, 'threadId'> {
    const s = this.state;
    const waiting = new Set(s.tasks.filter((t) => t.op === 'reindex').map((t) => t.repoId));
    const running = s.running?.task.op === 'reindex' ? s.running : undefined;
    return this.summary(repos.map((r): ThreadEntry => (running?.task.repoId === r.id
      ? { repoId: r.id, name: r.name, status: 'INDEXING', startedAt: running.startedAt }
      : waiting.has(r.id) ? { repoId: r.id, name: r.name, status: 'QUEUED' }
        : { repoId: r.id, name: r.name, status: r.error === undefined ? 'UPDATED' : 'ERROR', ...(r.error === undefined ? {} : { error: r.error }) })), now);
  }

  private summary(entries: readonly ThreadEntry[], now: number): Omit<ThreadStatus, 'threadId'> {
    const names = new Map<string, number>();
    for (const e of entries) names.set(e.name, (names.get(e.name) ?? 0) + 1);
    const messages: Record<string, number> = {};
    const errors: Record<string, string> = {};
    let sum = 0;
    for (const e of entries) {
      // Two repositories of one name (from different groups) stay apart.
      const name = `${e.name}${names.get(e.name)! > 1 ? ` (id ${e.repoId})` : ''}`;
      const percent = this.percent(e, now);
      messages[`Indexing ${name}`] = percent;
      if (e.status === 'ERROR') errors[name] = e.error ?? 'indexing failed';
      sum += percent;
    }
    return {
      finished: entries.every((e) => e.status === 'UPDATED' || e.status === 'ERROR'),
      messages, errors,
      lastOperationPercent: entries.length ? Math.round((sum / entries.length) * 10) / 10 : 100,
    };
  }

  private percent(e: ThreadEntry, now: number): number {
    if (e.status === 'UPDATED' || e.status === 'ERROR') return 100;
    if (e.status === 'QUEUED' || e.startedAt === undefined) return 0;
    if (this.limits.delayMs <= 0) return 99;
    return Math.min(99, Math.max(0, Math.floor(((now - e.startedAt) / this.limits.delayMs) * 100)));
  }
}
