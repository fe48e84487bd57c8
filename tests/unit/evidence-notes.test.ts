import { describe, expect, it } from 'vitest';
import { render } from '../../lib/i18n';
import { renderHtml } from '../../lib/render';
import { buildReport } from '../../lib/report/build-report';
import { snapshotCases } from './engine-snapshot-cases';

/** Every report the engine makes from the vectors and the synthetic visits (the snapshot's cases). */
const reports = snapshotCases()
  .filter((c) => !/\d{2},\d{3} observations/.test(c.name)) // the big visits add nothing here, and cost
  .map((c) => ({ name: c.name, report: buildReport(c.input) }));
const noted = reports.flatMap(({ name, report }) =>
  report.findings.flatMap((f) => f.evidence.filter((e) => e.noteText).map((e) => ({ name, rule: f.rule, e }))),
);

describe("the engine's evidence notes, in the reader's language", () => {
  it('are messages for every rule that writes one, whose English is the note JSON readers get', () => {
    const rules = new Set(noted.map((n) => n.rule));
    for (const rule of [
      'cookie-lifetime-exceeds-policy',
      'tracking-after-refusal',
      'tracking-after-withdrawal',
      'identifier-shared-with-third-party',
      'consent-not-remembered',
      'pre-ticked-choices',
      'consent-signal-before-decision',
      'refusal-harder-than-acceptance',
    ])
      expect(rules, rule).toContain(rule);
    for (const { e } of noted) expect(e.note).toBe(render('en', e.noteText!));
  });

  it('are written in French for a French reader, with every placeholder filled', () => {
    for (const { name, e } of noted) {
      const fr = render('fr', e.noteText!);
      expect(fr, name).not.toBe(e.note);
      expect(fr, name).not.toMatch(/\{\w+\}/);
    }
  });

  it('show in the HTML report in its language', () => {
    const withNotes = reports.find(({ report }) => report.findings.some((f) => f.evidence.some((e) => e.noteText)))!;
    const e = withNotes.report.findings.flatMap((f) => f.evidence).find((x) => x.noteText)!;
    const escape = (s: string) =>
      s
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
    const fr = renderHtml(withNotes.report, 'fr');
    expect(fr).toContain(escape(render('fr', e.noteText!)));
    expect(fr).not.toContain(escape(e.note!));
    expect(renderHtml(withNotes.report, 'en')).toContain(escape(e.note!));
  });
});
