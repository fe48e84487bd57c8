import { INDEX_KEY, type AuditStore } from '@/lib/store/audit-store';
import { snapshotKey, snapshotOf, type ReportSnapshot } from '@/lib/report/snapshot';
import { reportForAudit, type ReportDeps } from './report-service';

/**
 * After each flush (debounced) rebuilds each running audit's report once, and keeps its small
 * snapshot in `storage.session` for the popup, with the toolbar badge showing its high findings.
 * Why here, not in the popup: a popup that rebuilt the report on every write re-read every
 * observation twice a second. The store's flush writes its index (`audits:v1`) every time, so a
 * change of that key is the flush signal; the snapshot's own write (session area) never triggers one.
 * `storage.session` survives a worker restart but not the browser's: the popup asks for a fresh
 * snapshot (`get-snapshot`) when it finds none.
 */
export const SNAPSHOT_DELAY_MS = 400;
/** The badge colour of high findings. */
const BADGE_COLOR = '#b00020';

export interface Snapshots {
  /** Builds the tab's snapshot now, stores it and updates the badge. */
  refresh(tabId: number): Promise<ReportSnapshot>;
  start(): void;
}

export function reportSnapshots(deps: ReportDeps & { store: AuditStore }): Snapshots {
  /** What each tab's last snapshot was built from: audit, sequence and notes. */
  const built = new Map<number, string>();
  const running = new Map<number, Promise<unknown>>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const stamp = (tabId: number) => {
    const meta = deps.store.auditOf(tabId);
    return meta ? `${meta.auditId}:${meta.nextSeq}:${meta.notes.length}:${meta.restarts ?? 0}` : undefined;
  };

  async function refresh(tabId: number): Promise<ReportSnapshot> {
    const meta =
      deps.store.auditOf(tabId) ??
      deps.store
        .audits()
        .filter((a) => a.tabId === tabId)
        .at(-1);
    if (!meta) throw new Error(`tab ${tabId} is not under audit: open a site that has a declared policy`);
    const before = stamp(tabId);
    // Not live: the snapshot does not ask the page for a storage reading (the relay reports on its own).
    const report = await reportForAudit(meta, deps, false);
    const snapshot = snapshotOf(report, tabId, meta.auditId, Date.now(), deps.store.health());
    if (before) built.set(tabId, before);
    await browser.storage.session.set({ [snapshotKey(tabId)]: snapshot });
    await badge(tabId, snapshot.summary.bySeverity.high);
    return snapshot;
  }

  /** One rebuild at a time per tab; a change during a rebuild is picked up by the next flush signal. */
  function refreshChanged(): void {
    timer = undefined;
    for (const meta of deps.store.audits()) {
      if (meta.endedAt !== undefined || running.has(meta.tabId)) continue;
      if (built.get(meta.tabId) === stamp(meta.tabId)) continue;
      const job = refresh(meta.tabId)
        .catch((error) => console.warn('Consent Auditor: snapshot failed', error))
        .finally(() => running.delete(meta.tabId));
      running.set(meta.tabId, job);
    }
  }

  return {
    refresh,
    start() {
      browser.storage.onChanged.addListener((changes, area) => {
        if (area !== 'local' || !(INDEX_KEY in changes)) return;
        timer ??= setTimeout(refreshChanged, SNAPSHOT_DELAY_MS);
      });
      // A closed tab's snapshot goes with it.
      browser.tabs.onRemoved.addListener((tabId) => {
        built.delete(tabId);
        void browser.storage.session.remove(snapshotKey(tabId)).catch(() => undefined);
      });
    },
  };
}

/** The tab's badge: its count of high findings, none when there are none. */
async function badge(tabId: number, high: number): Promise<void> {
  try {
    await browser.action.setBadgeText({ tabId, text: high > 0 ? String(high) : '' });
    await browser.action.setBadgeBackgroundColor({ tabId, color: BADGE_COLOR });
  } catch {
    // The tab closed meanwhile: nothing to show.
  }
}
