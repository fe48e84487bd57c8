import type { Category } from '../categories';
import type { AuditContext } from '../engine/context';
import { isoTime } from '../engine/lifetime';
import type { Evidence, Finding, RuleId } from '../findings';
import { keySegment, render, text, type MessageKey, type Param, type Params, type Text } from '../i18n';
import type { ConsentDecision } from '../observations';
import type { DeclaredLifetime } from '../policy/types';
import { legalRefsFor, ruleMeta } from './catalog';

export type FindingDraft = Omit<
  Finding,
  'id' | 'rule' | 'severity' | 'legalRefs' | 'phase' | 'scenario' | 'title' | 'detail'
> & {
  evidence: Evidence[];
};

/**
 * Completes a rule's draft: id, severity and legal citations from the catalog, phase from the first
 * occurrence, and the English `title` and `detail` rendered from the draft's message keys.
 */
export function finding(ctx: AuditContext, rule: RuleId, draft: FindingDraft): Finding {
  const evidence = [...draft.evidence].sort((a, b) => a.seq - b.seq);
  const first = evidence[0];
  if (!first) throw new Error(`finding ${rule}:${draft.subject.key} has no evidence`);
  return {
    id: [rule, draft.subject.key, ctx.scenario].filter(Boolean).join(':'),
    rule,
    severity: ruleMeta(rule).severity,
    ...(ctx.scenario ? { scenario: ctx.scenario } : {}),
    phase: first.phase,
    title: render('en', draft.message.title),
    detail: render('en', draft.message.detail),
    ...draft,
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

/** The message of a finding: `finding.<rule>.<title>` and `finding.<rule>.<detail>`. */
export function findingMessage(
  rule: RuleId,
  titleParams: Params,
  detailParams: Params,
  names: { title: string; detail: string } = { title: 'title', detail: 'detail' },
): Finding['message'] {
  const base = `finding.${keySegment(rule)}`;
  return {
    title: text(`${base}.${names.title}` as MessageKey, titleParams),
    detail: text(`${base}.${names.detail}` as MessageKey, detailParams),
  };
}

/** A category in the reader's language. */
export function categoryText(category: Category | string): Text {
  return text(`category.${keySegment(category)}` as MessageKey);
}

/** A consent decision in the reader's language. */
export function decisionText(decision: ConsentDecision): Text {
  return text(`decision.${decision}` as MessageKey);
}

/** A declared lifetime in words: "13 months and 2 days". */
export function lifetimeText(lifetime: DeclaredLifetime): Param {
  const parts: Text[] = [];
  if (lifetime.months) parts.push(text('lifetime.months', { count: lifetime.months }));
  if (lifetime.days) parts.push(text('lifetime.days', { count: lifetime.days }));
  if (lifetime.minutes) parts.push(text('lifetime.minutes', { count: lifetime.minutes }));
  if (!parts.length) return text('lifetime.unspecified');
  return parts.length === 1 ? parts[0]! : { list: parts, join: 'and' };
}

/** When consent stood at the time of an event, in the reader's language. */
export function consentMoment(ctx: AuditContext): Text {
  const first = ctx.decisions[0];
  return first
    ? text('moment.decided', { decision: decisionText(first.decision), time: isoTime(first.time) })
    : text('moment.undecided');
}

/** `, N times` when a subject was seen more than once; nothing otherwise. */
export function timesText(count: number): Text | string {
  return count > 1 ? text('fragment.times', { count }) : '';
}
