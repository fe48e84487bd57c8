import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cookiesCsv, csvCell, findingsCsv, toCsv } from '../../lib/render';
import { daysBetween } from '../../lib/engine/lifetime';
import { siteOf } from '../../lib/site';
import { render } from '../../lib/i18n';
import { parseCsv, richReport } from './render-fixture';

const FORMULA = /^[=+\-@\t\r]/;

describe('CSV exports', () => {
  it('findings.csv parses back into one row per finding, most severe first, with its review mark', () => {
    const report = richReport();
    const first = report.findings[0]!;
    report.reviews = {
      [first.id]: {
        status: 'false-positive',
        note: 'a, "quoted"\nnote',
        reviewer: 'Léa',
        at: '2026-03-10T10:00:00.000Z',
      },
    };
    const rows = parseCsv(findingsCsv(report, 'en'));
    const [header, ...data] = rows;
    expect(header![0]).toBe('Id');
    expect(data).toHaveLength(report.findings.length);
    // The same set of findings, each once, with its own severity, rule and evidence count.
    const byId = new Map(data.map((r) => [r[0]!, r]));
    expect([...byId.keys()].sort()).toEqual(report.findings.map((f) => f.id).sort());
    for (const f of report.findings) {
      const row = byId.get(f.id)!;
      expect(row.slice(1, 3)).toEqual([f.severity, f.rule]);
      expect(row[11]).toBe(String(f.evidence.length));
    }
    const rank = ['high', 'medium', 'low', 'info'];
    const severities = data.map((r) => rank.indexOf(r[1]!));
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
    expect(byId.get(first.id)!.slice(13)).toEqual([
      'false positive',
      'Léa',
      'a, "quoted"\nnote',
      '2026-03-10T10:00:00.000Z',
    ]);
  });

  it('French headers, severities and finding texts (from their message keys)', () => {
    const report = richReport();
    const [header, ...data] = parseCsv(findingsCsv(report, 'fr'));
    expect(header!.slice(0, 3)).toEqual(['Id', 'Gravité', 'Règle']);
    for (const row of data) {
      expect(['élevée', 'moyenne', 'faible', 'info']).toContain(row[1]);
      const f = report.findings.find((x) => x.id === row[0])!;
      expect(row.slice(7, 9)).toEqual([render('fr', f.message.title), render('fr', f.message.detail)]);
    }
    expect(data.some((r) => r[7] !== report.findings.find((x) => x.id === r[0])!.title)).toBe(true); // not the English
  });

  it('cookies.csv has one row per stored cookie, with requested and stored lifetimes and party', () => {
    const report = richReport();
    const [header, ...data] = parseCsv(cookiesCsv(report, 'en'));
    expect(header!.slice(0, 3)).toEqual(['Name', 'Domain', 'Path']);
    // Expected from the observations: distinct (name, domain, path), refused writes excluded.
    const stored = report.observations.cookies.filter((c) => !c.refused);
    const keys = new Set(stored.map((c) => `${c.name}|${c.domain}|${c.path}`));
    expect(new Set(data.map((r) => `${r[0]}|${r[1]}|${r[2]}`))).toEqual(keys);
    expect(data).toHaveLength(keys.size);
    for (const row of data) {
      const writes = stored.filter((c) => c.name === row[0] && c.domain === row[1] && c.path === row[2]);
      const requested = writes
        .filter((c) => c.requestedExpiry !== undefined)
        .map((c) => daysBetween(c.time, c.requestedExpiry!));
      expect(row[10]).toBe(requested.length ? String(Math.max(...requested)) : '');
      expect(row[4]).toBe(siteOf(row[1]!) === report.provenance.site ? 'first party' : 'third party');
    }
    expect(data.some((r) => r[4] === 'third party')).toBe(true);
    expect(data.some((r) => r[10] !== '' && Number(r[10]) > Number(r[11]))).toBe(true); // capped at 400 days
  });

  it('quotes every cell so that it parses back, and guards formula cells', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (rows) => {
          const parsed = parseCsv(toCsv(rows));
          expect(parsed).toEqual(rows.map((r) => r.map((c) => (FORMULA.test(c) ? `'${c}` : c))));
          for (const cell of parsed.flat()) expect(FORMULA.test(cell)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
    for (const hostile of ['=HYPERLINK("http://evil")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCell(hostile).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(-3)).toBe('-3'); // a number is a number, not a formula
  });

  it('a hostile cookie name cannot become a formula in cookies.csv', () => {
    const report = richReport();
    report.observations.cookies[0]!.name = '=cmd|"/c calc"!A1';
    const data = parseCsv(cookiesCsv(report, 'en')).slice(1);
    expect(data.some((r) => r[0] === `'=cmd|"/c calc"!A1`)).toBe(true);
    for (const cell of data.flat()) expect(FORMULA.test(cell)).toBe(false);
  });
});
