/**
 * Renderers of a saved report (the canonical JSON) into the formats the team hands on: CSV for
 * spreadsheets and one self-contained HTML file. Pure: no DOM, no browser API; the extension, the
 * command line and the report page all call these.
 */
export { cookiesCsv, findingsCsv, toCsv, csvCell, BOM } from './csv';
export { renderHtml, HTML_CSP } from './html';
export { escapeHtml, safeHref, html, Html } from './escape';
export { labels, isLang, LANGS, findingTitle, findingDetail, legalPoint, type Lang, type Labels } from './labels';
export {
  cookieRows,
  findingRows,
  severityCounts,
  sortedFindings,
  summaryRows,
  baseIdOf,
  SEVERITY_ORDER,
  type CookieRow,
  type FindingRow,
  type SummaryRow,
} from './rows';
export { exportFiles, type ExportFile, type ExportFormat } from './files';
