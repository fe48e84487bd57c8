/**
 * The findings summary shared by the command line's table and the popup: one row per finding
 * (rule and subject) across scenarios, most severe first. Pure: findings in, rows out.
 */
import type { Finding, Severity } from '../findings';

/** Severity order, most severe first. */
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];
export const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/** `localeCompare`'s order, with one collator made once: far cheaper over hundreds of rows. */
const byText = new Intl.Collator().compare;

/** A finding's id without its `:<scenario>` suffix: the same finding across scenarios. */
export const baseId = (f: Pick<Finding, 'id' | 'scenario'>): string =>
  f.scenario && f.id.endsWith(`:${f.scenario}`) ? f.id.slice(0, -f.scenario.length - 1) : f.id;

/** One row of the summary: a finding, and the scenarios it was raised in. */
export interface SummaryRow<F extends Finding = Finding> {
  finding: F;
  scenarios: Set<string>;
}

/** The rows, most severe first, then by rule and subject. */
export function summaryRows<F extends Finding>(findings: readonly F[]): SummaryRow<F>[] {
  const rows = new Map<string, SummaryRow<F>>();
  for (const f of findings) {
    const key = baseId(f);
    const row = rows.get(key) ?? { finding: f, scenarios: new Set<string>() };
    row.scenarios.add(f.scenario ?? '');
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) =>
      SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] ||
      byText(a.finding.rule, b.finding.rule) ||
      byText(a.finding.subject.label, b.finding.subject.label),
  );
}

/** Counts by severity, every severity present (zero included). */
export function severityCounts(findings: readonly Pick<Finding, 'severity'>[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Findings about one subject: the subject once, with every rule it breaks. */
export interface SubjectGroup<F extends Finding = Finding> {
  key: string;
  label: string;
  kind: Finding['subject']['kind'];
  /** The most severe of its findings. */
  severity: Severity;
  findings: F[];
}

/**
 * Groups findings by subject (`kind:key`), most severe group first; within a group, most severe
 * finding first. A cookie both too long-lived and unclassified appears once, with both rules.
 */
export function groupBySubject<F extends Finding>(findings: readonly F[]): SubjectGroup<F>[] {
  const groups = new Map<string, SubjectGroup<F>>();
  for (const f of findings) {
    const key = `${f.subject.kind}:${f.subject.key}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, label: f.subject.label, kind: f.subject.kind, severity: f.severity, findings: [] };
      groups.set(key, group);
    }
    group.findings.push(f);
    if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[group.severity]) group.severity = f.severity;
  }
  const list = [...groups.values()];
  for (const g of list)
    g.findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || byText(a.id, b.id));
  return list.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || byText(a.label, b.label));
}

/** What the popup and the report page filter findings by. */
export interface FindingFilter {
  severities?: readonly Severity[];
  rule?: string;
  phase?: string;
  /** Case-insensitive text searched in the title, rule, subject, detail and evidence names/URLs. */
  search?: string;
}

/** True when the finding passes every set criterion. */
export function matchesFilter(f: Finding, filter: FindingFilter): boolean {
  if (filter.severities && !filter.severities.includes(f.severity)) return false;
  if (filter.rule && f.rule !== filter.rule) return false;
  if (filter.phase && f.phase !== filter.phase) return false;
  const q = filter.search?.trim().toLowerCase();
  if (!q) return true;
  const haystack = [f.title, f.rule, f.subject.label, f.subject.key, f.detail, f.category ?? ''];
  if (haystack.some((s) => s.toLowerCase().includes(q))) return true;
  return f.evidence.some((e) => (e.name ?? '').toLowerCase().includes(q) || (e.url ?? '').toLowerCase().includes(q));
}
