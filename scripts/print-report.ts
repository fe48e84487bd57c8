import type { AuditReport } from '../lib/report/types.ts';

/** Prints a report's findings as a short table on the terminal. */
export function printReport(report: AuditReport): void {
  const p = report.provenance;
  console.log(`\nConsent Auditor ${p.tool.version} — ${p.targetUrl}`);
  console.log(`Policy ${p.policy.id} v${p.policy.version} (sha256 ${p.policy.sha256.slice(0, 12)}…), ${p.browser.name} ${p.browser.version}`);
  console.log(
    `${report.observations.requests.length} requests, ${report.observations.cookies.length} cookie events, ${report.findings.length} findings\n`,
  );
  for (const f of report.findings) {
    console.log(`${f.severity.toUpperCase().padEnd(6)} ${f.rule.padEnd(32)} ${f.subject.label}${f.scenario ? ` [${f.scenario}]` : ''}`);
    const e = f.evidence[0];
    if (e?.requestedLifetimeDays !== undefined || e?.effectiveLifetimeDays !== undefined) {
      console.log(`       requested ${e.requestedLifetimeDays ?? '?'} days, stored ${e.effectiveLifetimeDays ?? '?'} days`);
    }
  }
  console.log('');
}
