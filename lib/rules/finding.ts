import type { AuditContext } from '../engine/context';
import { isoTime } from '../engine/lifetime';
import type { Evidence, Finding, RuleId } from '../findings';
import { legalRefsFor, ruleMeta } from './catalog';

export type FindingDraft = Omit<Finding, 'id' | 'rule' | 'severity' | 'legalRefs' | 'phase' | 'scenario'> & {
  evidence: Evidence[];
  /**
   * The phase the violation happened in, when the rule knows it: tracking after the refusal is
   * after the refusal, even when its first evidence is a cookie set before it and never removed.
   */
  phase?: Finding['phase'];
};

/**
 * Completes a rule's draft: id, severity and legal citations from the catalog, phase from the
 * rule when it says (else the first occurrence's).
 */
export function finding(ctx: AuditContext, rule: RuleId, draft: FindingDraft): Finding {
  const evidence = [...draft.evidence].sort((a, b) => a.seq - b.seq);
  const first = evidence[0];
  if (!first) throw new Error(`finding ${rule}:${draft.subject.key} has no evidence`);
  const { phase, ...rest } = draft;
  return {
    id: [rule, draft.subject.key, ctx.scenario].filter(Boolean).join(':'),
    rule,
    severity: ruleMeta(rule).severity,
    ...(ctx.scenario ? { scenario: ctx.scenario } : {}),
    phase: phase ?? first.phase,
    ...rest,
    // A copy: classifications are memoised (lib/engine/analyze.ts), so several findings may share one.
    ...(draft.classifiedBy ? { classifiedBy: { ...draft.classifiedBy } } : {}),
    // Copies: one citation object shared by several findings would be serialised as a back-reference by some channels.
    policyRefs: draft.policyRefs.map((ref) => ({ ...ref })),
    legalRefs: legalRefsFor(rule).map((ref) => ({ ...ref })),
    evidence,
  };
}

/** Groups items by a key, keeping first-seen order: one finding per rule and subject. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Plain-language description of when consent stood at the time of an event. */
export function consentMoment(ctx: AuditContext): string {
  const first = ctx.decisions[0];
  return first
    ? `before the visitor's decision (${first.decision}, ${isoTime(first.time)})`
    : 'while no consent decision had been observed (silence counts as refusal)';
}
