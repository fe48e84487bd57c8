/**
 * CSV exports for spreadsheets: one file of findings, one of cookies. RFC 4180 (comma, CRLF,
 * fields with a comma, quote or line break quoted, quotes doubled), UTF-8 with a byte-order mark
 * so Excel reads the accents. Cells are page-controlled strings, so a text cell a spreadsheet would
 * read as a formula (starting with = + - @, tab or CR) is prefixed with an apostrophe; numbers are
 * written as numbers.
 */
import type { AuditReport } from '../report/types';
import { findingDetail, findingTitle, labels, type Lang } from './labels';
import { cookieRows, findingRows } from './rows';

export const BOM = '\uFEFF';

/** One cell: formula-guarded, then quoted when it must be. */
export function csvCell(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: header row then data rows, CRLF line ends, with the BOM. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  return BOM + rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

/** Findings, most severe first, with their clauses, references and review mark. */
export function findingsCsv(report: AuditReport, lang: Lang): string {
  const L = labels(lang);
  const header = [
    L.id,
    L.severity,
    L.rule,
    L.scenario,
    L.phase,
    L.subject,
    L.category,
    L.titleCol,
    L.detail,
    L.policyClauses,
    L.legalRefs,
    L.evidenceCount,
    L.firstEvidence,
    L.review,
    L.reviewer,
    L.note,
    L.reviewedAt,
  ];
  const rows = findingRows(report).map(({ finding: f, review: r }) => [
    f.id,
    L.severities[f.severity],
    f.rule,
    f.scenario ?? '',
    f.phase,
    f.subject.label,
    f.category ?? f.classifiedBy?.category ?? '',
    findingTitle(f, lang),
    findingDetail(f, lang),
    f.policyRefs.map((p) => `§${p.section}: ${p.quote}`).join(' | '),
    f.legalRefs.map((l) => `${l.source}${l.url ? ` <${l.url}>` : ''}`).join(' | '),
    f.evidence.length,
    f.evidence[0]?.time ?? '',
    r ? L.statuses[r.status] : '',
    r?.reviewer ?? '',
    r?.note ?? '',
    r?.at ?? '',
  ]);
  return toCsv([header, ...rows]);
}

/** Cookies, one row per cookie and scenario, with requested and stored lifetimes. */
export function cookiesCsv(report: AuditReport, lang: Lang): string {
  const L = labels(lang);
  const header = [
    L.name,
    L.domain,
    L.path,
    L.scenario,
    L.party,
    L.category,
    L.firstSeen,
    L.phase,
    L.via,
    L.session,
    L.requestedDays,
    L.storedDays,
    L.setter,
    L.findingIds,
  ];
  const rows = cookieRows(report).map((c) => [
    c.name,
    c.domain,
    c.path,
    c.scenario ?? '',
    c.thirdParty ? L.thirdParty : L.firstParty,
    c.category ?? '',
    c.firstSeen,
    c.phase,
    c.via.join(' '),
    c.session ? L.yes : L.no,
    c.requestedDays ?? '',
    c.storedDays ?? '',
    c.setter ?? '',
    c.findings.join(' '),
  ]);
  return toCsv([header, ...rows]);
}
