import type { AuditReport } from '@/lib/report/types';
import { storageHealthMessage } from '@/lib/store/audit-store';
import { send } from './send';

/** How often, at most, the popup rebuilds the report while observations keep arriving. */
const REFRESH_MS = 500;

/**
 * The popup's view of one tab's audit. It observes storage (the background's batched writes) and
 * asks the background for a fresh report; commands go by message.
 */
export function createReportState(tabId: number) {
  let report = $state<AuditReport | undefined>();
  let error = $state<string | undefined>();
  let loading = $state(true);
  let storageProblem = $state<string | undefined>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function refresh() {
    timer = undefined;
    const answer = await send({ type: 'get-report', tabId });
    loading = false;
    if (answer.ok) {
      report = answer.value;
      error = undefined;
    } else error = answer.refusal.message;
    // A store that cannot write (full quota) loses what a worker stop takes: the popup says so.
    const status = await send({ type: 'status' });
    storageProblem = status.ok && status.value.storage ? storageHealthMessage(status.value.storage) : undefined;
  }

  function onStorageChanged() {
    timer ??= setTimeout(() => void refresh(), REFRESH_MS);
  }

  browser.storage.onChanged.addListener(onStorageChanged);
  void refresh();

  return {
    get report() {
      return report;
    },
    get error() {
      return error;
    },
    get loading() {
      return loading;
    },
    /** Why the audit cannot be saved right now (quota, storage error), if it cannot. */
    get storageProblem() {
      return storageProblem;
    },
    refresh,
    async restart() {
      await send({ type: 'restart-audit', tabId });
      await refresh();
    },
    dispose() {
      browser.storage.onChanged.removeListener(onStorageChanged);
      if (timer !== undefined) clearTimeout(timer);
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
