import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, HTML_CSP, renderHtml, safeHref, severityCounts } from '../../lib/render';
import type { AuditReport } from '../../lib/report/types';
import { richReport } from './render-fixture';

/** Every element the renderer writes. Text is escaped, so any other tag would come from the data. */
const TAGS = new Set(
  'html head meta title style body header h1 h2 h3 h4 p main section dl dt dd a ul li strong table thead tbody tr th td span code article q div br'.split(
    ' ',
  ),
);
const ATTRIBUTES = /^(lang|charset|http-equiv|content|name|class|id|aria-labelledby|href|rel|scope|data-[a-z]+)$/;

/** Checks the markup's structure: known tags, known attributes, http(s) links only, no script anywhere. */
function assertInert(out: string): void {
  expect(out).not.toMatch(/<script/i);
  expect(out).not.toMatch(/<\/?(iframe|img|object|embed|link|svg|math|base|form|input|frame)/i);
  const fail = (why: string) => {
    throw new Error(why);
  };
  for (const [, tag, attrs] of out.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    if (!TAGS.has(tag!.toLowerCase())) fail(`tag <${tag}>`);
    const rest = attrs!.replace(/\s([a-z-]+)="([^"]*)"/g, (_, name: string, value: string) => {
      if (!ATTRIBUTES.test(name)) fail(`attribute ${name} of <${tag}>`);
      if (name === 'href' && !/^https?:\/\//.test(value)) fail(`link ${value}`);
      return '';
    });
    if (rest.replace(/\/$/, '').trim()) fail(`unparsed attributes in <${tag}${attrs}>`);
  }
  // The stylesheet is ours: nothing from the data reaches it.
  const style = out.slice(out.indexOf('<style>'), out.indexOf('</style>'));
  expect(style).not.toMatch(/url\(|@import|expression/i);
}

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '</style><script>x</script>',
  'javascript:alert(1)',
  '<a href="javascript:alert(1)">x</a>',
  '`${alert(1)}`',
  '<!--',
  ']]><svg onload=alert(1)>',
];

const hostile = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'grapheme' }), fc.string());

/** Puts `s` in every page-controlled string the HTML shows. */
function poison(report: AuditReport, s: string): AuditReport {
  const f = report.findings[0]!;
  f.title = s;
  f.detail = s;
  // The renderers write titles and details from message keys: poison their parameters.
  for (const t of [f.message.title, f.message.detail]) for (const k of Object.keys(t.params ?? {})) t.params![k] = s;
  f.subject.label = s;
  f.id = s;
  f.policyRefs.push({ section: s, quote: s });
  f.legalRefs.push({ source: s, point: s, url: s });
  f.legalRefs.push({ source: s, point: s, url: `javascript:${s}` });
  f.evidence[0] = { ...f.evidence[0]!, url: s, name: s, domain: s, raw: s, initiator: s, note: s };
  report.observations.cookies[0]!.name = s;
  report.observations.cookies[0]!.domain = s;
  report.observations.cookies[0]!.initiator = s;
  report.provenance.site = s;
  report.provenance.targetUrl = s;
  report.provenance.notes.push(s);
  report.provenance.browser.userAgent = s;
  report.policyGaps = [{ id: s, description: s, refs: [{ section: s, quote: s }] }];
  report.errors.push({ part: s, reason: s });
  report.reviews = { [f.id]: { status: 'confirmed', note: s, reviewer: s, at: '2026-03-10T10:00:00.000Z' } };
  return report;
}

/** The markup with runs of white space made one space, and none between tags: what a browser shows. */
const squash = (out: string) => out.replace(/\s+/g, ' ').replace(/> </g, '><').replace(/> /g, '>').replace(/ </g, '<');

describe('HTML report', () => {
  const base = richReport();

  it('is self-contained: a CSP forbidding everything but inline style, no script, no external resource', () => {
    const out = renderHtml(base, 'fr');
    expect(out).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(HTML_CSP)}" />`);
    expect(HTML_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(out).toContain('@media print');
    expect(out).not.toMatch(/\ssrc=/);
    assertInert(out);
  });

  it('shows the summary, every finding with its evidence, the cookies and provenance', () => {
    const out = squash(renderHtml(base, 'en'));
    const counts = severityCounts(base);
    for (const s of ['high', 'medium', 'low', 'info'] as const)
      expect(out).toContain(`<td data-severity="${s}">${counts[s]}</td>`);
    expect(counts.info).toBeGreaterThan(0);
    expect(out.match(/<article class="finding/g)).toHaveLength(base.findings.length);
    for (const f of base.findings) expect(out).toContain(`data-finding="${escapeHtml(f.id)}"`);
    // Legal references are links.
    const legal = base.findings.flatMap((f) => f.legalRefs).find((r) => r.url)!;
    expect(out).toContain(
      `<a href="${escapeHtml(safeHref(legal.url))}" rel="noreferrer noopener">${escapeHtml(legal.source)}</a>`,
    );
    expect(out).toContain('<h2 id="h-provenance">Provenance</h2>');
    expect(out).toContain(escapeHtml(base.provenance.policy.sha256));
    expect(squash(renderHtml(base, 'fr'))).toContain('<h2 id="h-summary">Synthèse</h2>');
  });

  it('escapes hostile strings everywhere: no tag, attribute or link survives from the data', () => {
    // A small report keeps 200 runs quick: every kind of string is in it.
    const small = structuredClone(base);
    small.findings = small.findings.slice(0, 3).map((f) => ({ ...f, evidence: f.evidence.slice(0, 3) }));
    small.observations.cookies = small.observations.cookies.slice(0, 5);
    fc.assert(
      fc.property(hostile, (s) => {
        const out = renderHtml(poison(structuredClone(small), s), 'en');
        assertInert(out);
        expect(out).toContain(escapeHtml(s));
      }),
      { numRuns: 200 },
    );
    for (const s of HOSTILE) assertInert(renderHtml(poison(structuredClone(small), s), 'fr'));
  });

  it('shows review marks, and renders a saved JSON exactly as the live report', () => {
    const live = richReport();
    const f = live.findings[1]!;
    live.reviews = {
      [f.id]: { status: 'to-investigate', note: 'ask the DPO', reviewer: 'Léa', at: '2026-03-10T10:00:00.000Z' },
    };
    const saved = JSON.parse(JSON.stringify(live, null, 2)) as AuditReport;
    expect(renderHtml(saved, 'fr')).toBe(renderHtml(live, 'fr'));
    expect(renderHtml(saved, 'en')).toBe(renderHtml(live, 'en'));
    const out = squash(renderHtml(saved, 'fr'));
    expect(out).toContain('data-review="to-investigate"><p><strong>Revue: à examiner</strong>· Relecteur: Léa');
    expect(out).toContain('<p class="note">ask the DPO</p>');
    expect(out.match(/data-review="none"/g)).toHaveLength(live.findings.length - 1);
  });

  it('links only http(s) URLs', () => {
    expect(safeHref('https://www.cnil.fr/x')).toBe('https://www.cnil.fr/x');
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      ' javascript:x',
      'vbscript:x',
      'not a url',
      undefined,
    ])
      expect(safeHref(bad)).toBeUndefined();
  });
});
