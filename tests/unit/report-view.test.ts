import { describe, expect, it } from 'vitest';
import { syntheticReport } from '../../scripts/bench/synthetic-report';
import { isSnapshot, SNAPSHOT_EVIDENCE, snapshotOf } from '../../lib/report/snapshot';
import { groupBySubject, matchesFilter, severityCounts, summaryRows } from '../../lib/report/summary-rows';
import { cookieRows, queryRows, requestRows } from '../../lib/report/table-rows';
import { LANES, timelineOf } from '../../lib/report/timeline';

/** The popup's and report page's views of a report, on a synthetic 5,000-observation audit. */
const report = syntheticReport(5_000);

describe('the popup snapshot', () => {
  const snapshot = snapshotOf(report, 7, 'audit-1', 123);

  it('keeps findings and summary, no observations, and caps evidence', () => {
    expect(isSnapshot(snapshot)).toBe(true);
    expect(snapshot).not.toHaveProperty('observations');
    expect(snapshot.findings.map((f) => f.id)).toEqual(report.findings.map((f) => f.id));
    expect(snapshot.summary).toEqual(report.summary);
    for (const [i, f] of snapshot.findings.entries()) {
      expect(f.evidenceTotal).toBe(report.findings[i]!.evidence.length);
      expect(f.evidence.length).toBe(Math.min(SNAPSHOT_EVIDENCE, f.evidenceTotal));
    }
    const o = report.observations;
    expect(snapshot.counts).toEqual({
      cookies: o.cookies.length,
      requests: o.requests.length,
      storage: o.storage.length,
      consent: o.consent.length,
    });
    expect(JSON.stringify(snapshot).length).toBeLessThan(JSON.stringify(report).length / 3);
  });
});

describe('findings at a glance', () => {
  it('counts every severity, info included, as the summary does', () => {
    expect(severityCounts(report.findings)).toEqual(report.summary.bySeverity);
  });

  it('groups findings by subject: each subject once, with every rule it breaks', () => {
    const groups = groupBySubject(report.findings);
    const keys = new Set(report.findings.map((f) => `${f.subject.kind}:${f.subject.key}`));
    expect(groups.length).toBe(keys.size);
    expect(groups.reduce((n, g) => n + g.findings.length, 0)).toBe(report.findings.length);
    const rank = { high: 0, medium: 1, low: 2, info: 3 };
    for (const g of groups) expect(rank[g.severity]).toBe(Math.min(...g.findings.map((f) => rank[f.severity])));
    for (let i = 1; i < groups.length; i++)
      expect(rank[groups[i - 1]!.severity]).toBeLessThanOrEqual(rank[groups[i]!.severity]);
  });

  it('has one summary row per finding across scenarios', () => {
    expect(summaryRows(report.findings).length).toBe(new Set(report.findings.map((f) => f.id)).size);
  });

  it('filters by severity, rule, phase and searched text', () => {
    const some = report.findings[0]!;
    expect(report.findings.filter((f) => matchesFilter(f, { severities: ['info'] })).length).toBe(
      report.summary.bySeverity.info,
    );
    expect(report.findings.filter((f) => matchesFilter(f, { rule: some.rule })).length).toBe(
      report.summary.byRule[some.rule],
    );
    expect(matchesFilter(some, { search: some.subject.label.toUpperCase() })).toBe(true);
    expect(matchesFilter(some, { search: 'no-such-text-anywhere' })).toBe(false);
  });
});

describe('the report page', () => {
  it('bins every cookie, storage write and request into a bounded timeline', () => {
    const timeline = timelineOf(report, 200);
    const o = report.observations;
    for (const lane of LANES) {
      expect(timeline.counts[lane]).toHaveLength(200);
      expect(timeline.counts[lane].reduce((a, b) => a + b, 0)).toBe(o[lane].length);
    }
    expect(timeline.total).toBe(o.cookies.length + o.storage.length + o.requests.length);
    // Phases tile the session; each decision is a mark and starts a band.
    const decisions = report.scenarios.flatMap((s) => [s.decision, ...(s.laterDecisions ?? [])].filter(Boolean));
    expect(timeline.marks).toHaveLength(decisions.length);
    expect(timeline.bands[0]!.phase).toBe('before-consent');
  });

  it('sorts, filters and searches table rows', () => {
    const rows = requestRows(report);
    expect(rows).toHaveLength(report.observations.requests.length);
    const byHost = queryRows(rows, { sortBy: 'host', descending: false, phase: '', search: '' });
    for (let i = 1; i < byHost.length; i++)
      expect(byHost[i - 1]!.host.localeCompare(byHost[i]!.host)).toBeLessThanOrEqual(0);
    const descending = queryRows(rows, { sortBy: 'seq', descending: true, phase: '', search: '' });
    expect(descending[0]!.seq).toBe(Math.max(...rows.map((r) => r.seq)));
    const phase = rows[0]!.phase;
    expect(queryRows(rows, { sortBy: 'seq', descending: false, phase, search: '' }).length).toBe(
      rows.filter((r) => r.phase === phase).length,
    );
    const host = rows[0]!.host;
    expect(queryRows(rows, { sortBy: 'seq', descending: false, phase: '', search: host }).length).toBe(
      rows.filter((r) =>
        [r.method, r.type, r.host, r.party, r.url, r.phase].some((v) => v.toLowerCase().includes(host)),
      ).length,
    );
  });

  it('gives each cookie its requested and stored lifetime, party and the category its findings give it', () => {
    const rows = cookieRows(report);
    const withFinding = report.findings.find((f) => f.subject.kind === 'cookie' && f.category);
    if (withFinding) {
      const row = rows.find((r) => `${r.name}@${r.domain}` === withFinding.subject.key);
      expect(row?.category).toBe(withFinding.category);
    }
    for (const [i, c] of report.observations.cookies.entries()) {
      const row = rows[i]!;
      expect(row.party).toBe(c.domain === 'o2toit.com' || c.domain.endsWith('.o2toit.com') ? 'first' : 'third');
      if (c.session) expect(row.requestedDays).toBeNull();
      else if (c.requestedExpiry !== undefined)
        expect(row.requestedDays).toBeCloseTo((c.requestedExpiry - c.time) / 86_400_000, 1);
    }
  });
});
