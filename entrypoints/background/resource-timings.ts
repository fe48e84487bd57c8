import { sanitizeTimings, timingObservation } from '@/lib/collectors/resource-timing';
import type { Sender } from '@/lib/messages';
import type { AuditStore } from '@/lib/store/audit-store';

/**
 * Records a frame's Resource Timing entries as requests seen by Resource Timing. Most confirm a
 * webRequest observation and are dropped when a report is built (reconcileTimings); the others are
 * requests the worker missed.
 */
export function recordTimings(entries: unknown, sender: Sender, store: Pick<AuditStore, 'auditOf' | 'record'>): void {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return;
  const meta = store.auditOf(tabId);
  if (!meta) return;
  const ctx = { tabId, frameId: sender.frameId ?? 0, topSite: meta.site, time: Date.now() };
  for (const entry of sanitizeTimings(entries)) {
    // Entries from before this audit began belong to the page's earlier life, not to this audit.
    if (entry.start < meta.startedAt) continue;
    store.record(tabId, timingObservation(entry, ctx));
  }
}
