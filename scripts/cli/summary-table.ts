/**
 * The end-of-run summary on stdout: one row per finding (rule and subject), one column per scenario,
 * so what changes with the consent choice reads at a glance. Pure: report in, text out.
 */
import type { AuditReport } from '../../lib/report/types.ts';
import { summaryRows } from '../../lib/report/summary-rows.ts';

const LABEL_WIDTH = 38;

const clip = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

const DECIDED: Record<string, string> = { accept: 'accepted', reject: 'rejected', custom: 'custom' };

/** What the scenario's consent column says: the decision the audit saw, a failed choice, or none. */
function decisionCell(s: AuditReport['scenarios'][number]): string {
  if (s.consentAction && !s.consentAction.ok) return 'FAILED';
  const done = (goal: string) => s.journey?.find((j) => j.goal === goal)?.done;
  if (s.id === 'layers') return done('measure') ? 'measured' : 'no banner';
  if (s.id === 'withdrawal' && done('withdraw')) return 'withdrawn';
  return s.decision ? (DECIDED[s.decision.decision] ?? s.decision.decision) : 'none';
}

/** Formats the findings-per-scenario table, the consent outcome of each scenario and the report path. */
export function formatSummary(report: AuditReport, reportPath: string): string {
  const scenarios = report.scenarios.map((s) => s.id);
  const sorted = summaryRows(report.findings);
  const ruleWidth = Math.max(4, ...sorted.map((r) => r.finding.rule.length));
  const widths = report.scenarios.map((s) => Math.max(s.id.length, 6, decisionCell(s).length));
  const line = (severity: string, rule: string, label: string, cells: string[]): string =>
    [
      severity.padEnd(7),
      rule.padEnd(ruleWidth),
      clip(label, LABEL_WIDTH).padEnd(LABEL_WIDTH),
      ...cells.map((c, i) => c.padEnd(widths[i]!)),
    ]
      .join('  ')
      .trimEnd();

  const out: string[] = [];
  const p = report.provenance;
  out.push(
    `Consent Auditor ${p.tool.version}: ${p.targetUrl}, policy ${p.policy.id} ${p.policy.version}, ${p.browser.name} ${p.browser.version} (third-party cookies ${p.browser.thirdPartyCookies ?? 'unknown'})`,
  );
  out.push('');
  out.push(line('', 'rule', 'subject', scenarios));
  for (const row of sorted) {
    out.push(
      line(
        row.finding.severity,
        row.finding.rule,
        row.finding.subject.label,
        scenarios.map((s) => (row.scenarios.has(s) ? 'x' : '-')),
      ),
    );
  }
  if (!sorted.length) out.push('(no findings)');
  const counts = scenarios.map((s) => String(report.findings.filter((f) => f.scenario === s).length));
  out.push(line('', 'findings', '', counts));
  out.push(line('', 'decision', '', report.scenarios.map(decisionCell)));
  out.push(
    line(
      '',
      'pages',
      '',
      report.scenarios.map((s) => String(s.pages.length)),
    ),
  );
  for (const s of report.scenarios) {
    if (s.consentAction && !s.consentAction.ok)
      out.push(`\n${s.id}: the ${s.consentAction.action} choice failed: ${s.consentAction.error ?? 'unknown reason'}`);
  }
  out.push('');
  out.push(`Report: ${reportPath}`);
  return out.join('\n');
}
