import type { AuditStore } from '@/lib/store/audit-store';
import { snapshotKey, snapshotOf, type ReportSnapshot } from '@/lib/report/snapshot';
import { reportForAudit, type ReportDeps } from './report-service';

/**
 * After each flush (debounced) rebuilds each running audit's report once, and keeps its small
 * snapshot in `storage.session` for the popup, with the toolbar badge showing its high findings.
 * Why here, not in the popup: a popup that rebuilt the report on every write re-read every
 * observation twice a second. The store tells of each flush (`onFlush`); the rebuild reads the
 * running audit's observations from the store's memory, not back from storage. Under a burst of
 * events the rebuilds are spaced: at most one at a time, and the next waits SNAPSHOT_DELAY_MS or
 * twice the last one's duration, whichever is longer, so the worker does not spend the burst
 * rebuilding (each rebuild allocates about a report's worth of memory).
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
  /** How long the last background rebuild took, ms (spaces the next one). */
  let lastMs = 0;

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

  /** One rebuild at a time per tab; a change during a rebuild is picked up once it ends. */
  function refreshChanged(): void {
    timer = undefined;
    for (const meta of deps.store.audits()) {
      if (meta.endedAt !== undefined || running.has(meta.tabId)) continue;
      if (built.get(meta.tabId) === stamp(meta.tabId)) continue;
      const began = Date.now();
      const job = refresh(meta.tabId)
        .catch((error) => console.warn('Consent Auditor: snapshot failed', error))
        .finally(() => {
          running.delete(meta.tabId);
          lastMs = Date.now() - began;
          // What was recorded during the rebuild, once the rebuild is done.
          if (built.get(meta.tabId) !== stamp(meta.tabId)) later();
        });
      running.set(meta.tabId, job);
    }
  }

  function later(): void {
    timer ??= setTimeout(refreshChanged, Math.max(SNAPSHOT_DELAY_MS, 2 * lastMs));
  }

  return {
    refresh,
    start() {
      deps.store.onFlush(later);
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
