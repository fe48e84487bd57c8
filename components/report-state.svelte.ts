import type { AuditReport } from '@/lib/report/types';
import type { BackgroundRequest, ReportResponse } from '@/lib/messages';
import { storageHealthMessage } from '@/lib/store/audit-store';

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
    const request: BackgroundRequest = { type: 'get-report', tabId };
    const response = (await browser.runtime.sendMessage(request)) as ReportResponse | undefined;
    loading = false;
    if (!response) error = 'The extension did not answer.';
    else if (response.ok) {
      report = response.report;
      error = undefined;
      storageProblem = response.storage ? storageHealthMessage(response.storage) : undefined;
    } else error = response.error;
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
      const request: BackgroundRequest = { type: 'restart-audit', tabId };
      await browser.runtime.sendMessage(request);
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
