// Fault and latency injection: per request with `Prefer: code=503, delay=250`, or by rules per operationId; a
// startReindex rule with indexError instead makes the indexing of repositories end in ERROR (issue 21).

export interface FaultRule {
  operationId: string;
  status?: number;
  delayMs?: number;
  /** 0..1, default 1 */
  probability?: number;
  /** With operationId startReindex: reindex tasks that end while the rule is in force end in ERROR with this text. */
  indexError?: string;
  /** With indexError: only this repository's tasks. */
  repoId?: number;
}

export interface FaultSettings {
  rules: FaultRule[];
  /** Seed of the generator that decides probabilistic rules; the same seed gives the same sequence. */
  seed: number;
}

export interface FaultDecision {
  status?: number;
  delayMs: number;
}

/** What a Prefer header asks for: only what it names (no delay token: the rules' delay stands). */
export interface Preference {
  status?: number;
  delayMs?: number;
}

/** mulberry32: a tiny seeded generator, enough to make "fail 30% of adds" reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What parsePrefer answers for an absent or empty header. */
export const NO_PREFERENCE: ReturnType<typeof parsePrefer> = Object.freeze({ decision: Object.freeze({}), problems: Object.freeze([]) as unknown as string[] });

/**
 * Parses `code=503`, `delay=250` (comma-separated; preference names are exact tokens, case-insensitive
 * as RFC 7240 has them, so `nodelay=1` is another preference and ignored); problems listed.
 */
export function parsePrefer(header: string | undefined, maxDelayMs: number): { decision: Preference; problems: string[] } {
  const decision: Preference = {};
  const problems: string[] = [];
  for (const part of (header ?? '').split(/[,;]/)) {
    const [rawKey, rawValue] = part.split('=').map((s) => s.trim());
    const key = rawKey?.toLowerCase();
    if (key === 'code') {
      if (!/^\d{3}$/.test(rawValue ?? '') || Number(rawValue) < 400 || Number(rawValue) > 599) problems.push(`Prefer code must be a status from 400 to 599, got '${rawValue}'`);
      else decision.status = Number(rawValue);
    } else if (key === 'delay') {
      if (!/^\d{1,7}$/.test(rawValue ?? '') || Number(rawValue) > maxDelayMs) problems.push(`Prefer delay must be 0 to ${maxDelayMs} ms, got '${rawValue}'`);
      else decision.delayMs = Number(rawValue);
    }
  }
  return { decision, problems };
}

/** Problems of fault settings beyond their schema: a rule's delay above --max-delay (refused, not capped). */
export function faultProblems(settings: { rules: FaultRule[] }, maxDelayMs: number): string[] {
  return settings.rules.flatMap((rule, i) => [
    ...(rule.delayMs !== undefined && rule.delayMs > maxDelayMs ? [`rules[${i}].delayMs must be 0 to ${maxDelayMs} ms (--max-delay), got ${rule.delayMs}`] : []),
    ...indexRuleProblems(rule).map((p) => `rules[${i}].${p}`),
  ]);
}

/** An indexing rule is a rule of its own kind: it answers no request, so it takes none of a request rule's fields. */
function indexRuleProblems(rule: FaultRule): string[] {
  if (rule.indexError === undefined) return rule.repoId === undefined ? [] : ['repoId needs indexError (it names the repository whose indexing fails)'];
  return [
    ...(rule.operationId === 'startReindex' ? [] : [`indexError needs operationId startReindex, got ${rule.operationId}`]),
    ...(['status', 'delayMs', 'probability'] as const).filter((k) => rule[k] !== undefined).map((k) => `${k} cannot be combined with indexError (the rule fails indexing, not a request)`),
  ];
}

export class FaultInjector {
  private settings: FaultSettings = { rules: [], seed: 1 };
  private random = seededRandom(1);

  constructor(initial?: FaultSettings) {
    if (initial) this.replace(initial);
  }

  replace(settings: { rules: FaultRule[]; seed?: number }): void {
    this.settings = { rules: structuredClone(settings.rules), seed: settings.seed ?? 1 };
    this.random = seededRandom(this.settings.seed);
  }

  current(): FaultSettings {
    return structuredClone(this.settings);
  }

  /** What the rules say for one request of this operation (first matching rule that fires). */
  decide(operationId: string | undefined): FaultDecision {
    for (const rule of this.settings.rules) {
      if (rule.indexError !== undefined) continue;
      if (rule.operationId !== operationId && rule.operationId !== '*') continue;
      if (this.random() >= (rule.probability ?? 1)) continue;
      return { ...(rule.status === undefined ? {} : { status: rule.status }), delayMs: rule.delayMs ?? 0 };
    }
    return { delayMs: 0 };
  }

  /** The ERROR text the first indexing rule gives this repository's reindex task, if any. */
  indexError(repoId: number): string | undefined {
    return this.settings.rules.find((r) => r.indexError !== undefined && (r.repoId === undefined || r.repoId === repoId))?.indexError;
  }
}
