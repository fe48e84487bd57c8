import type { AuditReport } from '@/lib/report/types';
import { INJECTED_REPORT_KEY } from '@/lib/report/snapshot';
import { send } from './send';

/*
 * A report placed in `storage.local` by a test or a benchmark (`INJECTED_REPORT_KEY`; local, not
 * session: 50,000 observations are larger than storage.session's 10 MB) is read only when the page
 * is opened as `report.html?injected=1`. Web pages cannot open the page (it is not web-accessible)
 * nor write extension storage, and the page labels such a report "injected (test)".
 */
/** Where the report page takes its report from, by its URL: `?audit=<id>`, `?tab=<id>` or `?injected=1`. */
export async function loadReport(search: string): Promise<{ report?: AuditReport; error?: string; injected?: true }> {
  const params = new URLSearchParams(search);
  if (params.get('injected') === '1') {
    // Kept as JSON text: the browser turns one long string back much faster than a large object graph.
    const stored = (await browser.storage.local.get(INJECTED_REPORT_KEY))[INJECTED_REPORT_KEY];
    if (typeof stored !== 'string') return { error: 'no injected report' };
    return { report: JSON.parse(stored) as AuditReport, injected: true };
  }
  const audit = params.get('audit');
  if (audit) {
    const answer = await send({ type: 'get-audit-report', auditId: audit });
    return answer.ok ? { report: answer.value } : { error: answer.refusal.message };
  }
  const tab = params.get('tab');
  if (!tab || !/^\d+$/.test(tab)) return { error: 'no tab given (report.html?tab=<id>)' };
  const answer = await send({ type: 'get-report', tabId: Number(tab) });
  return answer.ok ? { report: answer.value } : { error: answer.refusal.message };
}
