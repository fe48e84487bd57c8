import { summaryOf, type HistoryEntry } from '@/lib/messages';
import type { AuditMeta } from '@/lib/store/audit-store';
import { reportForAudit, type ReportDeps } from './report-service';

/**
 * The history list: every audit the store keeps (closed tabs included, up to MAX_KEPT_AUDITS ended
 * ones), newest first, with its finding counts. Counts come from the last report built; an audit
 * whose counts are missing or stale (more was recorded since) is rebuilt once here, without asking
 * its tab for a storage reading, so the list stays quick.
 */
export async function listHistory(deps: ReportDeps): Promise<HistoryEntry[]> {
  const audits = [...deps.store.audits()].sort((a, b) => b.startedAt - a.startedAt);
  const entries: HistoryEntry[] = [];
  for (const meta of audits) {
    if (meta.counts?.atSeq !== meta.nextSeq) await reportForAudit(meta, deps, false).catch(() => undefined);
    entries.push(await entryOf(meta, deps));
  }
  return entries;
}

async function entryOf(meta: AuditMeta, deps: ReportDeps): Promise<HistoryEntry> {
  const running = deps.store.auditOf(meta.tabId)?.auditId === meta.auditId;
  const reviews = await deps.reviews.get(meta.auditId).catch(() => ({}));
  const counts = meta.counts ? { findings: meta.counts.findings, bySeverity: meta.counts.bySeverity } : undefined;
  return {
    ...summaryOf(meta),
    ...(meta.endedAt !== undefined ? { endedAt: meta.endedAt } : {}),
    running,
    ...(counts ? { counts } : {}),
    reviewed: Object.keys(reviews).length,
  };
}
