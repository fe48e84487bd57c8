/** The files an export makes, named alike in the extension and the command line. */
import type { AuditReport } from '../report/types';
import { cookiesCsv, findingsCsv } from './csv';
import { renderHtml } from './html';
import type { Lang } from './labels';

export type ExportFormat = 'json' | 'csv' | 'html';

export interface ExportFile {
  name: string;
  mime: string;
  text: string;
}

/** `consent-audit-<site>-<generatedAt>`, safe on every file system. */
export function baseName(report: AuditReport): string {
  const site = report.provenance.site.replace(/[^a-z0-9.-]/gi, '_') || 'site';
  return `consent-audit-${site}-${report.generatedAt.replace(/[:.]/g, '-')}`;
}

/** The file(s) of one format: JSON and HTML one file each, CSV two (findings and cookies). */
export function exportFiles(report: AuditReport, format: ExportFormat, lang: Lang): ExportFile[] {
  const base = baseName(report);
  switch (format) {
    case 'json':
      return [{ name: `${base}.json`, mime: 'application/json', text: `${JSON.stringify(report, null, 2)}\n` }];
    case 'html':
      return [{ name: `${base}.${lang}.html`, mime: 'text/html;charset=utf-8', text: renderHtml(report, lang) }];
    case 'csv':
      return [
        { name: `${base}-findings.${lang}.csv`, mime: 'text/csv;charset=utf-8', text: findingsCsv(report, lang) },
        { name: `${base}-cookies.${lang}.csv`, mime: 'text/csv;charset=utf-8', text: cookiesCsv(report, lang) },
      ];
  }
}
