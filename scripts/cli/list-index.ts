/**
 * The index of a `--urls` audit: `index.json` (one entry a line of the list: site, URL, policy, exit
 * status, findings by severity, report files, or the error that stopped it) and `index.html`, the
 * same table rendered with lib/render's escaping, labels and style, in French or English. Pure.
 */
import type { Severity } from '../../lib/findings.ts';
import {
  html,
  HTML_CSP,
  Html,
  labels,
  safeHref,
  severityCounts,
  SEVERITY_ORDER,
  type Lang,
} from '../../lib/render/index.ts';
import { REPORT_CSS } from '../../lib/render/style.ts';
import type { AuditReport } from '../../lib/report/types.ts';

export interface IndexEntry {
  /** Line of the list file. */
  line: number;
  site: string;
  url: string;
  /** The policy the extension audited with (`baseline`: the law's baseline); absent when the audit failed before. */
  policy?: { id: string; version: string; sha256: string; file?: string };
  exitCode: 0 | 1 | 2;
  /** Why the site has no report, or why its exit status is 2 (a consent choice that failed). */
  error?: string;
  /** Findings by severity, from the report's findings; absent without a report. */
  counts?: Record<Severity, number>;
  findings?: number;
  /** Files written for the site, relative to the index. */
  report?: string;
  html?: string;
  csv?: string[];
}

export interface ListIndex {
  tool: { name: 'Consent Auditor'; version: string };
  generatedAt: string;
  /** The list file, as given. */
  list: string;
  concurrency: number;
  failOn?: string;
  /** The worst site's exit status: the command's. */
  exitCode: 0 | 1 | 2;
  sites: IndexEntry[];
}

/** An entry for a site whose audit made a report. */
export function entryOfReport(
  base: Pick<IndexEntry, 'line' | 'url' | 'exitCode' | 'report' | 'html' | 'csv'> & {
    error?: string;
    policyFile?: string;
  },
  report: AuditReport,
): IndexEntry {
  const counts = severityCounts(report);
  const { policyFile, error, ...rest } = base;
  const p = report.provenance.policy;
  return {
    ...rest,
    site: report.provenance.site,
    policy: { id: p.id, version: p.version, sha256: p.sha256, ...(policyFile ? { file: policyFile } : {}) },
    ...(error ? { error } : {}),
    counts,
    findings: report.findings.length,
  };
}

const TEXT = {
  en: {
    title: 'Consent audits of a list of sites',
    sites: 'Sites',
    line: 'Line',
    exit: 'Exit status',
    report: 'Report',
    error: 'Error',
    list: 'List',
    worst: 'Exit status of the list (worst site)',
    exits: { 0: 'done', 1: 'findings at or above --fail-on', 2: 'failed' },
  },
  fr: {
    title: "Audits du consentement d'une liste de sites",
    sites: 'Sites',
    line: 'Ligne',
    exit: 'Code de sortie',
    report: 'Rapport',
    error: 'Erreur',
    list: 'Liste',
    worst: 'Code de sortie de la liste (le pire site)',
    exits: { 0: 'terminé', 1: 'constats au seuil --fail-on ou au-dessus', 2: 'échec' },
  },
} as const satisfies Record<Lang, unknown>;

const fileLink = (path: string | undefined, text: string): Html | string => {
  if (!path) return '';
  // Relative file names only: the index sits beside the reports.
  const relative = /^[\w.@%+-]+(\/[\w.@%+-]+)*$/.test(path) && !path.split('/').some((p) => /^\.+$/.test(p));
  return relative ? html`<a href="${path}">${text}</a>` : text;
};

/** The index as one self-contained HTML document in `lang`. */
export function renderIndexHtml(index: ListIndex, lang: Lang): string {
  const L = labels(lang);
  const T = TEXT[lang];
  const rows = index.sites.map((s) => {
    const href = safeHref(s.url);
    return html`<tr data-line="${s.line}" data-exit="${s.exitCode}">
      <td>${s.line}</td>
      <td data-field="site">${s.site}</td>
      <td>${href ? html`<a href="${href}" rel="noreferrer">${s.url}</a>` : s.url}</td>
      <td data-field="policy">${s.policy ? `${s.policy.id} v${s.policy.version}` : ''}</td>
      ${SEVERITY_ORDER.map((sev) => html`<td data-severity="${sev}">${s.counts ? s.counts[sev] : ''}</td>`)}
      <td data-field="exit">${s.exitCode} (${T.exits[s.exitCode]})</td>
      <td>${fileLink(s.report, 'JSON')} ${fileLink(s.html, 'HTML')} ${(s.csv ?? []).map((c) => fileLink(c, 'CSV'))}</td>
      <td data-field="error">${s.error ?? ''}</td>
    </tr>`;
  });
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="${HTML_CSP}" />
        <meta name="referrer" content="no-referrer" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${T.title}</title>
        <style>
          ${new Html(REPORT_CSS)}
        </style>
      </head>
      <body>
        <header>
          <h1>${T.title}</h1>
          <p class="meta">${L.generated} ${index.generatedAt} · ${T.list} ${index.list}</p>
        </header>
        <main>
          <section id="sites" aria-labelledby="h-sites">
            <h2 id="h-sites">${T.sites}</h2>
            <p data-field="worst">${T.worst}: ${index.exitCode} (${T.exits[index.exitCode]})</p>
            <table>
              <thead>
                <tr>
                  <th>${T.line}</th>
                  <th>${L.site}</th>
                  <th>${L.url}</th>
                  <th>${L.policy}</th>
                  ${SEVERITY_ORDER.map((sev) => html`<th>${L.severities[sev]}</th>`)}
                  <th>${T.exit}</th>
                  <th>${T.report}</th>
                  <th>${T.error}</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>
          </section>
        </main>
      </body>
    </html> `.value;
}
