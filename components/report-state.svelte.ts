import type { AuditReport } from '@/lib/report/types';
import { isSnapshot, snapshotKey, type ReportSnapshot } from '@/lib/report/snapshot';
import { storageHealthMessage } from '@/lib/store/audit-store';
import { send } from './send';

/**
 * The popup's view of one tab's audit. It reads the small snapshot the background keeps in
 * `storage.session` (rewritten after each flush) and follows it through `storage.onChanged`; it
 * asks the background to build one (`get-snapshot`) only when none is stored yet, or after one of
 * its own commands. Commands go by message.
 */
export function createReportState(tabId: number) {
  let snapshot = $state<ReportSnapshot | undefined>();
  let error = $state<string | undefined>();
  let loading = $state(true);
  const key = snapshotKey(tabId);

  async function refresh() {
    const answer = await send({ type: 'get-snapshot', tabId });
    loading = false;
    if (answer.ok) {
      snapshot = answer.value;
      error = undefined;
    } else error = answer.refusal.message;
  }

  function onStorageChanged(changes: Record<string, { newValue?: unknown }>, area: string) {
    if (area !== 'session' || !(key in changes)) return;
    const value = changes[key]!.newValue;
    if (isSnapshot(value)) {
      snapshot = value;
      loading = false;
      error = undefined;
    }
  }

  browser.storage.onChanged.addListener(onStorageChanged);
  void browser.storage.session
    .get(key)
    .then((stored) => {
      const value = stored[key];
      if (isSnapshot(value)) {
        snapshot ??= value;
        loading = false;
      } else return refresh();
    })
    .catch(() => refresh());

  return {
    get snapshot() {
      return snapshot;
    },
    get error() {
      return error;
    },
    get loading() {
      return loading;
    },
    /** Why the audit cannot be saved right now (quota, storage error), if it cannot. */
    get storageProblem() {
      return snapshot?.storage ? storageHealthMessage(snapshot.storage) : undefined;
    },
    refresh,
    async restart() {
      await send({ type: 'restart-audit', tabId });
      await refresh();
    },
    /** The full report, for an export: built once, on demand. */
    async fullReport(): Promise<AuditReport | undefined> {
      const answer = await send({ type: 'get-report', tabId });
      if (answer.ok) return answer.value;
      error = answer.refusal.message;
      return undefined;
    },
    dispose() {
      browser.storage.onChanged.removeListener(onStorageChanged);
    },
  };
}

/** Downloads the report as JSON: the canonical artifact the compliance team keeps as evidence. */
export function exportJson(report: AuditReport): string {
  const stamp = report.generatedAt.replace(/[:.]/g, '-');
  const filename = `consent-audit-${report.provenance.site}-${stamp}.json`;
  const blob = new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}
