import type { AuditStore } from '@/lib/store/audit-store';
import { snapshotKey, snapshotOf, type ReportSnapshot } from '@/lib/report/snapshot';
import type { AuditReport } from '@/lib/report/types';
import { reportForAudit, reportForTab, type ReportDeps } from './report-service';

/**
 * After each flush (debounced) rebuilds each running audit's report once, and keeps its small
 * snapshot in `storage.session` for the popup, with the toolbar badge showing its high findings.
 * Why here, not in the popup: a popup that rebuilt the report on every write re-read every
 * observation twice a second. The store tells of each flush (`onFlush`); the rebuild reads the
 * running audit's observations from the store's memory, not back from storage. A rebuild
 * allocates about a report's worth of memory, so under a burst of events (a page making thousands
 * of writes) it waits for the burst: it runs once the store has been quiet for SNAPSHOT_DELAY_MS,
 * or SNAPSHOT_MAX_WAIT_MS after the first change under a steady stream, never two at a time, and
 * never sooner than four times the last rebuild's duration after it ended. The popup may so lag a
 * burst by a few seconds; `get-snapshot` (the popup opened) builds one at once.
 * `storage.session` survives a worker restart but not the browser's: the popup asks for a fresh
 * snapshot (`get-snapshot`) when it finds none.
 */
export const SNAPSHOT_DELAY_MS = 400;
export const SNAPSHOT_MAX_WAIT_MS = 3_000;
/** The badge colour of high findings. */
const BADGE_COLOR = '#b00020';

export interface Snapshots {
  /** Builds the tab's snapshot now, stores it and updates the badge. */
  refresh(tabId: number): Promise<ReportSnapshot>;
  /** The tab's full report (`get-report`), whose snapshot is kept too, so no second build follows it. */
  report(tabId: number): Promise<AuditReport>;
  start(): void;
}

export function reportSnapshots(deps: ReportDeps & { store: AuditStore }): Snapshots {
  /** What each tab's last snapshot was built from: audit, sequence and notes. */
  const built = new Map<number, string>();
  const running = new Map<number, Promise<unknown>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** How long the last background rebuild took, and when it ended, ms (they space the next one). */
  let lastMs = 0;
  let lastEnd = 0;
  /** When the first change not yet rebuilt was told. */
  let firstChange: number | undefined;
  /** Full reports being built: a background rebuild waits for them (one build at a time, and they bring a snapshot). */
  let reports = 0;
  /** Every build (snapshot or full report) runs after the one before: two at once would hold two reports' memory. */
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(build: () => Promise<T>): Promise<T> => {
    const run = queue.then(build);
    queue = run.catch(() => undefined);
    return run;
  };

  const stamp = (tabId: number, nextSeq?: number) => {
    const meta = deps.store.auditOf(tabId);
    return meta ? `${meta.auditId}:${nextSeq ?? meta.nextSeq}:${meta.notes.length}:${meta.restarts ?? 0}` : undefined;
  };
  /**
   * What a report was built from, as a stamp: the sequence after its last observation (what was
   * recorded while it was built, a live storage reading included, makes the stamp differ). An
   * observation the report left out (a duplicate, a malformed record) can only cause one rebuild more.
   */
  const stampOf = (tabId: number, report: AuditReport) => {
    let last = 0;
    for (const list of Object.values(report.observations)) for (const o of list ?? []) if (o.seq > last) last = o.seq;
    return report.auditId === deps.store.auditOf(tabId)?.auditId ? stamp(tabId, last + 1) : undefined;
  };

  function refresh(tabId: number): Promise<ReportSnapshot> {
    return oneAtATime(() => rebuild(tabId));
  }

  async function rebuild(tabId: number): Promise<ReportSnapshot> {
    const meta =
      deps.store.auditOf(tabId) ??
      deps.store
        .audits()
        .filter((a) => a.tabId === tabId)
        .at(-1);
    if (!meta) throw new Error(`tab ${tabId} is not under audit: open a site that has a declared policy`);
    // Not live: the snapshot does not ask the page for a storage reading (the relay reports on its own).
    const report = await reportForAudit(meta, deps, false);
    return keep(tabId, meta.auditId, report);
  }

  async function keep(tabId: number, auditId: string, report: AuditReport) {
    const snapshot = snapshotOf(report, tabId, auditId, Date.now(), deps.store.health());
    const from = stampOf(tabId, report);
    if (from) built.set(tabId, from);
    await browser.storage.session.set({ [snapshotKey(tabId)]: snapshot });
    await badge(tabId, snapshot.summary.bySeverity.high);
    return snapshot;
  }

  async function report(tabId: number): Promise<AuditReport> {
    reports++;
    try {
      const full = await oneAtATime(() => reportForTab(tabId, deps));
      if (full.auditId)
        await keep(tabId, full.auditId, full).catch((error) => console.warn('Consent Auditor: snapshot failed', error));
      return full;
    } finally {
      reports--;
    }
  }

  /** One rebuild at a time per tab; a change during a rebuild is picked up once it ends. */
  function refreshChanged(): void {
    timer = undefined;
    if (reports) return later();
    firstChange = undefined;
    for (const meta of deps.store.audits()) {
      if (meta.endedAt !== undefined || running.has(meta.tabId)) continue;
      if (built.get(meta.tabId) === stamp(meta.tabId)) continue;
      const began = Date.now();
      const job = refresh(meta.tabId)
        .catch((error) => console.warn('Consent Auditor: snapshot failed', error))
        .finally(() => {
          running.delete(meta.tabId);
          lastEnd = Date.now();
          lastMs = lastEnd - began;
          // What was recorded during the rebuild, once the rebuild is done.
          if (built.get(meta.tabId) !== stamp(meta.tabId)) later();
        });
      running.set(meta.tabId, job);
    }
  }

  /** A flush (or a rebuild that ended with more recorded): (re)arms the timer, see the header. */
  function later(): void {
    const now = Date.now();
    firstChange ??= now;
    const quiet = Math.min(SNAPSHOT_DELAY_MS, Math.max(0, firstChange + SNAPSHOT_MAX_WAIT_MS - now));
    const spacing = Math.max(0, lastEnd + 4 * lastMs - now);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(refreshChanged, Math.max(quiet, spacing));
  }

  return {
    refresh,
    report,
    start() {
      deps.store.onFlush(later);
      // A chunk changed by anyone but the store (a test that removes records) is read again from storage.
      browser.storage.onChanged.addListener((changes, area) => {
        if (area !== 'local') return;
        for (const [key, change] of Object.entries(changes))
          if (key.startsWith('obs:'))
            deps.store.storageChanged(key, Array.isArray(change.newValue) ? change.newValue.length : undefined);
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
