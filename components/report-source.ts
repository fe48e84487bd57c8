import type { AuditReport } from '@/lib/report/types';
import { send } from './send';

/**
 * A report placed in `storage.session` by a test or a benchmark, read only when the page is opened
 * with `?injected=1`. Web pages and content scripts cannot reach `storage.session` (its default
 * access level is trusted contexts only), so no page can make the report page show a forged report.
 */
export const INJECTED_REPORT_KEY = 'report-injection:v1';

/** Where the report page takes its report from, by its URL: `?tab=<id>` or `?injected=1`. */
export async function loadReport(search: string): Promise<{ report?: AuditReport; error?: string; injected?: true }> {
  const params = new URLSearchParams(search);
  if (params.get('injected') === '1') {
    const stored = (await browser.storage.session.get(INJECTED_REPORT_KEY))[INJECTED_REPORT_KEY] as
      AuditReport | undefined;
    return stored ? { report: stored, injected: true } : { error: 'no injected report' };
  }
  const tab = params.get('tab');
  if (!tab || !/^\d+$/.test(tab)) return { error: 'no tab given (report.html?tab=<id>)' };
  const answer = await send({ type: 'get-report', tabId: Number(tab) });
  return answer.ok ? { report: answer.value } : { error: answer.refusal.message };
}
