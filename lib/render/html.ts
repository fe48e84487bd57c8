/**
 * The HTML report: one self-contained file rendered from the JSON alone, for a lawyer to file or a
 * developer to read. No script, no external resource (a CSP meta forbids both), inline CSS with a
 * print stylesheet. Every report string is escaped (lib/render/escape.ts): the page audited wrote
 * many of them.
 */
import type { Evidence, Finding } from '../findings';
import type { AuditReport } from '../report/types';
import type { ReviewMark } from '../review/types';
import { Html, html, safeHref } from './escape';
import { translate } from '../i18n';
import { evidenceNote, findingDetail, findingTitle, labels, legalPoint, type Labels, type Lang } from './labels';
import { cookieRows, SEVERITY_ORDER, severityCounts, sortedFindings, summaryRows } from './rows';
import { REPORT_CSS } from './style';

/** The Content-Security-Policy the file carries: nothing but its own inline styles. */
export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** Renders the whole report as one HTML document in `lang`. */
export function renderHtml(report: AuditReport, lang: Lang): string {
  const L = labels(lang);
  const p = report.provenance;
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="${HTML_CSP}" />
        <meta name="referrer" content="no-referrer" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${L.title}: ${p.site}</title>
        <style>
          ${new Html(REPORT_CSS)}
        </style>
      </head>
      <body>
        <header>
          <h1>${L.title}: ${p.site}</h1>
          <p class="meta">${L.generated} ${report.generatedAt}</p>
        </header>
        <main>
          ${summarySection(report, L)} ${findingsSection(report, L)} ${gapsSection(report, L)}
          ${cookiesSection(report, L)} ${provenanceSection(report, L)}
        </main>
      </body>
    </html> `.value;
}

function summarySection(report: AuditReport, L: Labels): Html {
  const p = report.provenance;
  const counts = severityCounts(report);
  const scenarios = report.scenarios.map((s) => s.id);
  const rows = summaryRows(report);
  return html`<section id="summary" aria-labelledby="h-summary">
    <h2 id="h-summary">${L.summary}</h2>
    <dl class="facts">
      <dt>${L.site}</dt>
      <dd data-field="site">${p.site}</dd>
      <dt>${L.url}</dt>
      <dd>${link(p.targetUrl, p.targetUrl)}</dd>
      <dt>${L.policy}</dt>
      <dd data-field="policy">${p.policy.id} v${p.policy.version} · ${p.policy.title}</dd>
      <dt>${L.consent}</dt>
      <dd>
        <ul class="plain">
          ${report.scenarios.map(
            (s) =>
              html`<li>
                <strong>${s.id}</strong>:
                ${
                  s.decision
                    ? html`${s.decision.decision} (${s.decision.how}${s.decision.trusted ? '' : `, ${L.untrusted}`})
                      ${s.decision.time}`
                    : L.noDecision
                }
              </li>`,
          )}
        </ul>
      </dd>
    </dl>
    <h3>${L.counts}</h3>
    <table class="counts" data-testid="severity-counts">
      <thead>
        <tr>
          ${SEVERITY_ORDER.map((s) => html`<th scope="col">${L.severities[s]}</th>`)}
          <th scope="col">${L.total}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          ${SEVERITY_ORDER.map((s) => html`<td data-severity="${s}">${counts[s]}</td>`)}
          <td data-severity="total">${report.findings.length}</td>
        </tr>
      </tbody>
    </table>
    <h3>${L.byRule}</h3>
    ${
      rows.length
        ? html`<table class="by-rule">
            <thead>
              <tr>
                <th scope="col">${L.severity}</th>
                <th scope="col">${L.rule}</th>
                <th scope="col">${L.subject}</th>
                ${scenarios.map((s) => html`<th scope="col">${s}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (r) =>
                  html`<tr>
                    <td>${severityBadge(r.severity, L)}</td>
                    <td><code>${r.rule}</code></td>
                    <td>${r.subject}</td>
                    ${scenarios.map(
                      (s) =>
                        html`<td>
                          ${r.scenarios.includes(s) || (r.scenarios.includes(undefined) && scenarios.length === 1) ? '✓' : '–'}
                        </td>`,
                    )}
                  </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p>${L.noFindings}</p>`
    }
  </section>`;
}

function severityBadge(severity: Finding['severity'], L: Labels): Html {
  return html`<span class="sev sev-${severity}">${L.severities[severity]}</span>`;
}

function link(url: string | undefined, text: string): Html {
  const href = safeHref(url);
  return href ? html`<a href="${href}" rel="noreferrer noopener">${text}</a>` : html`${text}`;
}

function reviewBlock(review: ReviewMark | undefined, L: Labels): Html {
  if (!review) return html`<p class="review none" data-review="none">${L.review}: ${L.notReviewed}</p>`;
  return html`<div class="review" data-review="${review.status}">
    <p>
      <strong>${L.review}: ${L.statuses[review.status]}</strong>${
        review.reviewer ? html` · ${L.reviewer}: ${review.reviewer}` : ''
      }
      · ${L.reviewedAt} ${review.at}
    </p>
    ${review.note ? html`<p class="note">${review.note}</p>` : ''}
  </div>`;
}

function findingsSection(report: AuditReport, L: Labels): Html {
  const findings = sortedFindings(report);
  return html`<section id="findings" aria-labelledby="h-findings">
    <h2 id="h-findings">${L.findings} (${findings.length})</h2>
    ${findings.length ? findings.map((f) => findingArticle(f, report.reviews?.[f.id], L)) : html`<p>${L.noFindings}</p>`}
  </section>`;
}

function findingArticle(f: Finding, review: ReviewMark | undefined, L: Labels): Html {
  return html`<article class="finding sev-${f.severity}" data-finding="${f.id}" data-rule="${f.rule}">
    <h3>${severityBadge(f.severity, L)} ${findingTitle(f, L.lang)}</h3>
    <p class="meta">
      <code>${f.rule}</code> · ${L.subject}: ${f.subject.label} · ${L.phase}:
      ${f.phase}${
        f.scenario ? html` · ${L.scenario}: ${f.scenario}` : ''
      }${f.category ? html` · ${L.category}: ${f.category}` : ''}
    </p>
    <p>${findingDetail(f, L.lang)}</p>
    ${reviewBlock(review, L)}
    ${
      f.policyRefs.length
        ? html`<h4>${L.policyClauses}</h4>
            <ul>
              ${f.policyRefs.map((r) => html`<li><strong>§${r.section}</strong> <q lang="fr">${r.quote}</q></li>`)}
            </ul>`
        : ''
    }
    ${
      f.legalRefs.length
        ? html`<h4>${L.legalRefs}</h4>
            <ul>
              ${f.legalRefs.map((r) => html`<li>${link(r.url, r.source)}: ${legalPoint(r, L.lang)}</li>`)}
            </ul>`
        : ''
    }
    ${
      f.classifiedBy
        ? html`<p class="meta">
            ${L.classifiedBy}: ${f.classifiedBy.vendorName} (${f.classifiedBy.source},
            <code>${f.classifiedBy.matchedBy}</code>)
          </p>`
        : ''
    }
    <h4>${L.evidence} (${f.evidence.length})</h4>
    <table class="evidence">
      <thead>
        <tr>
          <th scope="col">${L.time}</th>
          <th scope="col">${L.kind}</th>
          <th scope="col">${L.phase}</th>
          <th scope="col">${L.what}</th>
          <th scope="col">${L.details}</th>
        </tr>
      </thead>
      <tbody>
        ${f.evidence.map((e) => evidenceRow(e, L.lang))}
      </tbody>
    </table>
  </article>`;
}

function evidenceRow(e: Evidence, lang: Lang): Html {
  const what = e.kind === 'request' ? (e.url ?? '') : [e.name, e.domain].filter(Boolean).join(' @ ');
  const details = [
    e.via,
    e.requestType,
    e.requestedLifetimeDays !== undefined
      ? translate(lang, 'evidence.requested', { days: e.requestedLifetimeDays })
      : undefined,
    e.effectiveLifetimeDays !== undefined
      ? translate(lang, 'evidence.stored', { days: e.effectiveLifetimeDays })
      : undefined,
    e.judged
      ? translate(lang, 'evidence.judged', {
          which: translate(lang, e.judged === 'requested' ? 'evidence.requestedWord' : 'evidence.storedWord'),
        })
      : undefined,
    e.initiator ? translate(lang, 'evidence.by', { script: e.initiator }) : undefined,
    e.raw,
    evidenceNote(e, lang),
  ].filter(Boolean);
  return html`<tr>
    <td>${e.time}</td>
    <td>${e.kind}</td>
    <td>${e.phase}${e.scenario ? ` (${e.scenario})` : ''}</td>
    <td class="wrap">${what}</td>
    <td class="wrap">${details.join(' · ')}</td>
  </tr>`;
}

function gapsSection(report: AuditReport, L: Labels): Html {
  const gaps = report.policyGaps ?? [];
  if (!gaps.length) return html``;
  return html`<section id="gaps" aria-labelledby="h-gaps">
    <h2 id="h-gaps">${L.gaps}</h2>
    <ul>
      ${gaps.map(
        (g) =>
          html`<li data-gap="${g.id}">
            <p>${g.description}</p>
            ${
              g.refs.length
                ? html`<ul>
                    ${g.refs.map((r) => html`<li><strong>§${r.section}</strong> <q lang="fr">${r.quote}</q></li>`)}
                  </ul>`
                : ''
            }
          </li>`,
      )}
    </ul>
  </section>`;
}

function cookiesSection(report: AuditReport, L: Labels): Html {
  const rows = cookieRows(report);
  return html`<section id="cookies" aria-labelledby="h-cookies">
    <h2 id="h-cookies">${L.cookies} (${rows.length})</h2>
    ${
      rows.length
        ? html`<table class="cookies">
            <thead>
              <tr>
                ${[
                  L.name,
                  L.domain,
                  L.scenario,
                  L.party,
                  L.category,
                  L.phase,
                  L.requestedDays,
                  L.storedDays,
                  L.setter,
                  L.findingIds,
                ].map((h) => html`<th scope="col">${h}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (c) =>
                  html`<tr data-cookie="${c.name}@${c.domain}">
                    <td>${c.name}</td>
                    <td>${c.domain}${c.path !== '/' ? c.path : ''}</td>
                    <td>${c.scenario ?? ''}</td>
                    <td>${c.thirdParty ? L.thirdParty : L.firstParty}</td>
                    <td>${c.category ?? ''}</td>
                    <td>${c.phase}</td>
                    <td class="num">${c.session ? L.session : (c.requestedDays ?? '')}</td>
                    <td class="num">${c.storedDays ?? ''}</td>
                    <td class="wrap">${c.setter ?? ''}</td>
                    <td>${c.findings.length}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p>${L.noCookies}</p>`
    }
  </section>`;
}

function provenanceSection(report: AuditReport, L: Labels): Html {
  const p = report.provenance;
  return html`<section id="provenance" aria-labelledby="h-provenance">
    <h2 id="h-provenance">${L.provenance}</h2>
    <dl class="facts">
      <dt>${L.tool}</dt>
      <dd>${p.tool.name} ${p.tool.version}</dd>
      <dt>${L.browser}</dt>
      <dd>
        ${p.browser.name}
        ${p.browser.version}${p.browser.thirdPartyCookies ? ` · third-party cookies ${p.browser.thirdPartyCookies}` : ''}${p.browser.trackingProtection ? ` · ${p.browser.trackingProtection}` : ''}<br /><span
          class="meta"
          >${p.browser.userAgent}</span
        >
      </dd>
      <dt>${L.started}</dt>
      <dd>${p.startedAt}</dd>
      <dt>${L.ended}</dt>
      <dd>${p.endedAt}</dd>
      <dt>${L.policy}</dt>
      <dd>${p.policy.id} v${p.policy.version} · sha256 <code>${p.policy.sha256}</code></dd>
      <dt>${L.knowledge}</dt>
      <dd>
        ${p.knowledge.version}
        (${p.knowledge.vendors})${(p.knowledge.imports ?? []).map(
          (i) => html`; ${i.name} (${i.source}, ${i.entries}, sha256 <code>${i.sha256}</code>)`,
        )}
      </dd>
      <dt>${L.schema}</dt>
      <dd>${report.schemaVersion}</dd>
    </dl>
    ${
      p.notes.length
        ? html`<h3>${L.notes}</h3>
            <ul>
              ${p.notes.map((n) => html`<li>${n}</li>`)}
            </ul>`
        : ''
    }
    ${
      report.errors.length
        ? html`<h3>${L.errors}</h3>
            <ul>
              ${report.errors.map((e) => html`<li><strong>${e.part}</strong>: ${e.reason}</li>`)}
            </ul>`
        : ''
    }
  </section>`;
}
