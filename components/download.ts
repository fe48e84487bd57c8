import type { ExportFile } from '@/lib/render';
import type { Lang } from '@/lib/render/labels';
import { currentLang } from './i18n.svelte';

/**
 * Saves one file through an anchor with a blob URL (no `downloads` permission needed): the browser
 * puts it in the downloads folder, or asks, as the user configured.
 */
export function downloadFile(file: ExportFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The language exports default to: the interface language (components/i18n.svelte.ts). */
export function defaultLang(): Lang {
  return currentLang();
}

/**
 * Where an audit opens from the history list. The full report page (`report.html?audit=<id>`)
 * takes over once it exists; until then history.html?audit=<id> shows it (AuditReview).
 */
export const REPORT_PAGE = 'report.html';
export function reportPageUrl(auditId: string): string {
  return browser.runtime.getURL(`/${REPORT_PAGE}?audit=${encodeURIComponent(auditId)}` as '/report.html');
}
