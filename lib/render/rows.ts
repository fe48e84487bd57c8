/**
 * The report as rows, shared by the CSV and HTML renderers (and the report page): one row per
 * finding, one per cookie, and the summary table by rule and subject. Pure, from the JSON alone.
 */
import type { Finding, RuleId, Severity } from '../findings';
import { daysBetween } from '../engine/lifetime';
import { isoTime } from '../time';
import type { Scenario } from '../observations';
import type { AuditReport } from '../report/types';
import type { ReviewMark } from '../review/types';
import { siteOf } from '../site';

export const SEVERITY_ORDER: readonly Severity[] = ['high', 'medium', 'low', 'info'];
const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/** Findings most severe first, then by rule and subject: the order of every renderer. */
export function sortedFindings(report: AuditReport): Finding[] {
  return [...report.findings].sort(
    (a, b) =>
      RANK[a.severity] - RANK[b.severity] ||
      a.rule.localeCompare(b.rule) ||
      a.subject.label.localeCompare(b.subject.label) ||
      a.id.localeCompare(b.id),
  );
}

/** Counts by severity, info included, computed from the findings (not trusted from `summary`). */
export function severityCounts(report: AuditReport): Record<Severity, number> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  return counts;
}

/** A finding's id without its `:<scenario>` suffix: the same finding across scenarios. */
export function baseIdOf(f: Finding): string {
  return f.scenario && f.id.endsWith(`:${f.scenario}`) ? f.id.slice(0, -f.scenario.length - 1) : f.id;
}

/** One row of the summary table: a rule and a subject, in which scenarios it was found. */
export interface SummaryRow {
  severity: Severity;
  rule: RuleId;
  subject: string;
  scenarios: Array<Scenario | undefined>;
}

/** The findings by rule and subject, like the command line's table; one subject per rule once. */
export function summaryRows(report: AuditReport): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  for (const f of sortedFindings(report)) {
    const key = baseIdOf(f);
    const row = rows.get(key);
    if (row) {
      row.scenarios.push(f.scenario);
      if (RANK[f.severity] < RANK[row.severity]) row.severity = f.severity;
    } else rows.set(key, { severity: f.severity, rule: f.rule, subject: f.subject.label, scenarios: [f.scenario] });
  }
  return [...rows.values()].sort(
    (a, b) => RANK[a.severity] - RANK[b.severity] || a.rule.localeCompare(b.rule) || a.subject.localeCompare(b.subject),
  );
}

/** One finding with its review mark, flattened for a spreadsheet. */
export interface FindingRow {
  finding: Finding;
  review: ReviewMark | undefined;
}

export function findingRows(report: AuditReport): FindingRow[] {
  return sortedFindings(report).map((finding) => ({ finding, review: report.reviews?.[finding.id] }));
}

/** One cookie (name, domain, path) in one scenario, with what the audit saw of it. */
export interface CookieRow {
  name: string;
  domain: string;
  path: string;
  scenario?: Scenario;
  thirdParty: boolean;
  category?: string;
  firstSeen: string;
  phase: string;
  /** How it was written, each way once (`set-cookie-header`, `document.cookie`...). */
  via: string[];
  session: boolean;
  requestedDays?: number;
  storedDays?: number;
  /** Script or response that set it first, when known. */
  setter?: string;
  /** Ids of the findings about this cookie. */
  findings: string[];
}

/** The cookies the browser stored (refused writes are not cookies), first seen first. */
export function cookieRows(report: AuditReport): CookieRow[] {
  const rows = new Map<string, CookieRow>();
  const cookies = [...report.observations.cookies].sort((a, b) => a.time - b.time || a.seq - b.seq);
  for (const c of cookies) {
    if (c.refused) continue;
    const key = JSON.stringify([c.scenario ?? '', c.name, c.domain, c.path]);
    let row = rows.get(key);
    if (!row) {
      row = {
        name: c.name,
        domain: c.domain,
        path: c.path,
        ...(c.scenario ? { scenario: c.scenario } : {}),
        thirdParty: siteOf(c.domain) !== report.provenance.site,
        firstSeen: isoTime(c.time),
        phase: c.phase,
        via: [],
        session: c.session,
        findings: [],
      };
      rows.set(key, row);
    }
    if (!row.via.includes(c.via)) row.via.push(c.via);
    if (c.action !== 'removed' && !c.session) row.session = false;
    if (!row.setter && (c.initiator || c.via === 'set-cookie-header')) row.setter = c.initiator ?? c.url;
    if (c.requestedExpiry !== undefined)
      row.requestedDays = Math.max(row.requestedDays ?? -Infinity, daysBetween(c.time, c.requestedExpiry));
    if (c.effectiveExpiry !== undefined && c.action !== 'removed')
      row.storedDays = Math.max(row.storedDays ?? -Infinity, daysBetween(c.time, c.effectiveExpiry));
  }
  for (const f of report.findings) {
    if (f.subject.kind !== 'cookie') continue;
    for (const row of rows.values()) {
      if (`${row.name}@${row.domain}` !== f.subject.key || (f.scenario && row.scenario !== f.scenario)) continue;
      row.findings.push(f.id);
      row.category ??= f.category ?? f.classifiedBy?.category;
    }
  }
  return [...rows.values()];
}
